using Functional.Io;
using Functional.Network;
using static Functional.Dsl.Layers;

namespace Functional.Cli.Checkpoints;

/// <summary>
/// The architectures the command-line program can rebuild from a checkpoint's <c>architecture</c> name. A
/// checkpoint stores values only; the architecture is code, and <see cref="ModelCheckpoint.Load(string, Layer, Shape?)"/>
/// checks that the file's recorded layers are exactly these.
/// </summary>
internal static class KnownArchitectures
{
    /// <summary>Every name <see cref="Get"/> accepts, with the architecture it builds.</summary>
    public static IReadOnlyDictionary<string, Func<Layer>> All { get; } = new Dictionary<string, Func<Layer>>
    {
        ["lenet5"] = LeNet5,
    };

    /// <summary>Modern LeNet-5 (ReLU, max pooling) numbered as PyTorch's nn.Sequential: weights at 0, 3, 7, 9, 11.</summary>
    public static Layer LeNet5() =>
        Sequential(Conv(6, 5, padding: 2), ReLU, MaxPool(2), Conv(16, 5), ReLU, MaxPool(2),
            Flatten, Dense(120), ReLU, Dense(84), ReLU, Dense(10));

    /// <summary>The architecture called <paramref name="name"/>.</summary>
    /// <exception cref="UsageException">No architecture has that name; the message lists the known ones.</exception>
    public static Layer Get(string name) => All.TryGetValue(name, out var build) ? build()
        : throw new UsageException($"the checkpoint's architecture '{name}' is not one this program can rebuild ({string.Join(", ", All.Keys)}).");

    /// <summary>The known name whose layers are <paramref name="model"/>'s, or null.</summary>
    public static string? NameOf(Model model)
    {
        var layers = ModelCheckpoint.Layers(model.Architecture, model.InputShape);
        foreach (var (name, build) in All)
        {
            try
            {
                if (ModelCheckpoint.Layers(build(), model.InputShape) == layers) return name;
            }
            catch (ShapeException) { }   // that architecture does not even fit this input
        }
        return null;
    }
}
