namespace Functional.Training;

/// <summary>Classification counts from a batch of scores.</summary>
public static class Metrics
{
    /// <summary>The class with the highest score in each row of an N×K tensor (the first one on ties, as torch.argmax).</summary>
    public static int[] ArgMax(Tensor scores)
    {
        if (scores.Shape.Rank != 2)
            throw new ShapeException($"Metrics.ArgMax: scores {scores.Shape} must be N×K (one row of class scores per sample).");
        int n = scores.Shape[0], k = scores.Shape[1];
        var s = scores.Span;
        var best = new int[n];
        for (var i = 0; i < n; i++)
        {
            var row = s.Slice(i * k, k);
            for (var c = 1; c < k; c++)
                if (row[c] > row[best[i]]) best[i] = c;
        }
        return best;
    }

    /// <summary>How many rows of <paramref name="scores"/> have their highest score at the label.</summary>
    public static int Correct(Tensor scores, IReadOnlyList<int> labels)
    {
        var predicted = ArgMax(scores);
        if (predicted.Length != labels.Count)
            throw new ShapeException($"Metrics.Correct: {predicted.Length} rows of scores {scores.Shape} for {labels.Count} labels.");
        var correct = 0;
        for (var i = 0; i < predicted.Length; i++)
            if (predicted[i] == labels[i]) correct++;
        return correct;
    }

    /// <summary>
    /// One value per row of <paramref name="scores"/>, computed by the scores' backend: 1 where the row's first
    /// maximum is at the label, else 0. Only the labels cross to a device; the count comes back with the step's checks.
    /// </summary>
    internal static Tensor Hits(Backends.IBackend backend, Tensor scores, IReadOnlyList<int> labels)
    {
        if (scores.Shape.Rank != 2)
            throw new ShapeException($"Metrics.Hits: scores {scores.Shape} must be N×K (one row of class scores per sample).");
        int n = scores.Shape[0], k = scores.Shape[1];
        if (n != labels.Count)
            throw new ShapeException($"Metrics.Hits: {n} rows of scores {scores.Shape} for {labels.Count} labels.");
        var classes = new float[n];
        for (var i = 0; i < n; i++) classes[i] = labels[i];
        var hits = new Tensor(Shape.Of(n), backend.AllocateUninitialized(n));
        backend.ArgMaxHits(n, k, scores.Storage, Tensor.FromArray(Shape.Of(n), classes).Storage, hits.Storage);
        return hits;
    }
}
