namespace Functional.Data;

/// <summary>A train and a test split of the same dataset.</summary>
/// <param name="Train">The training samples.</param>
/// <param name="Test">The held-out test samples.</param>
public sealed record Splits(Dataset Train, Dataset Test);

/// <summary>
/// Fashion-MNIST (Zalando): 60,000 training and 10,000 test greyscale 28×28 images of clothing in 10 classes,
/// stored as four gzipped IDX files. MNIST uses the same file names and format, so <see cref="Load"/> reads it too.
/// </summary>
public static class FashionMnist
{
    /// <summary>Training images file name.</summary>
    public const string TrainImages = "train-images-idx3-ubyte.gz";
    /// <summary>Training labels file name.</summary>
    public const string TrainLabels = "train-labels-idx1-ubyte.gz";
    /// <summary>Test images file name.</summary>
    public const string TestImages = "t10k-images-idx3-ubyte.gz";
    /// <summary>Test labels file name.</summary>
    public const string TestLabels = "t10k-labels-idx1-ubyte.gz";

    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>True when all four files exist in <paramref name="directory"/>.</summary>
    public static bool Exists(string directory) =>
        new[] { TrainImages, TrainLabels, TestImages, TestLabels }.All(f => File.Exists(Path.Combine(directory, f)));

    /// <summary>Reads the four files from <paramref name="directory"/> (gzipped or plain, validated), and checks the
    /// splits can be used together before any work starts: neither is empty and their images have one size.</summary>
    /// <param name="trainLimit">Keep only the first N training samples (null: all).</param>
    /// <param name="maxSide">The largest image side accepted (see <see cref="Idx.ReadImages"/>).</param>
    /// <exception cref="FileNotFoundException">A file is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, the image and label counts differ, a split is empty,
    /// or the training and test images differ in size; the message names the files.</exception>
    public static Splits Load(string directory, int? trainLimit = null, int maxSide = Idx.DefaultMaxSide)
    {
        string trainImages = Path.Combine(directory, TrainImages), testImages = Path.Combine(directory, TestImages);
        var train = Idx.ReadDataset(trainImages, Path.Combine(directory, TrainLabels), 10, trainLimit, maxSide);
        var test = Idx.ReadDataset(testImages, Path.Combine(directory, TestLabels), 10, maxSide: maxSide);
        if (train.Count == 0) throw DataFormat.Error(trainImages, "holds no images; the training split needs at least one.");
        if (test.Count == 0) throw DataFormat.Error(testImages, "holds no images; the test split needs at least one.");
        if (train.SampleShape != test.SampleShape)
            throw DataFormat.Error(testImages, $"holds images of {test.SampleShape} but {trainImages} holds {train.SampleShape}; the splits must come from one dataset.");
        return new(train, test);
    }
}
