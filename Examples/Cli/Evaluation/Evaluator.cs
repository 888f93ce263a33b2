using Functional.Data;
using Functional.Network;
using Functional.Training;

namespace Functional.Cli.Evaluation;

/// <summary>A model's results on a labelled set.</summary>
/// <param name="Count">Samples evaluated.</param>
/// <param name="Correct">Samples whose largest logit is at their label (the first of equal largest logits wins, as in training).</param>
/// <param name="Loss">Mean cross-entropy over all samples.</param>
/// <param name="Confusion">[true class, predicted class] counts.</param>
internal sealed record EvaluationResult(int Count, int Correct, double Loss, int[,] Confusion)
{
    /// <summary>Correct / Count.</summary>
    public double Accuracy => (double)Correct / Count;
}

/// <summary>Runs a classifier over a dataset in inference mode, batch by batch, in the dataset's order: the same
/// passes as the trainer's test evaluation (<c>Trainer.Evaluate</c>), plus the confusion matrix.</summary>
internal static class Evaluator
{
    /// <summary>Accuracy, mean loss and confusion matrix of <paramref name="model"/> on <paramref name="data"/>,
    /// normalised as in training.</summary>
    /// <exception cref="ArgumentException">The model's outputs do not match the dataset's classes.</exception>
    public static EvaluationResult Run(Model model, Dataset data, Normalization normalization, int batchSize = 500)
    {
        if (model.OutputShape != Shape.Of(data.Classes))
            throw new ArgumentException($"The model outputs {model.OutputShape} but the dataset has {data.Classes} classes.");
        var k = data.Classes;
        var confusion = new int[k, k];
        int correct = 0;
        var lossSum = 0.0;
        foreach (var batch in DataLoader.Over(data, batchSize).Normalized(normalization).Epoch(0))
        {
            var logits = model.Predict(batch.Images);
            lossSum += (double)Loss.CrossEntropy.Compute(model.Context, logits, batch.Labels).Value * batch.Count;
            var predicted = Metrics.ArgMax(logits);   // the trainer's rule, so accuracies agree to the sample
            for (var i = 0; i < batch.Count; i++)
            {
                confusion[batch.Labels[i], predicted[i]]++;
                if (predicted[i] == batch.Labels[i]) correct++;
            }
        }
        return new(data.Count, correct, lossSum / data.Count, confusion);
    }
}
