using Functional.Network;
using Functional.Research;
using static Functional.Dsl.Layers;

namespace Functional.Dsl.Research;

public static partial class Studies
{
    /// <summary>
    /// One small conv net with its activation and its normalisation swapped: ReLU vs GELU vs SiLU after BatchNorm,
    /// then BatchNorm vs GroupNorm(4) under ReLU. Every variant has the same convolutions and classifier, so
    /// accuracy and time differ only by the swapped layer.
    /// </summary>
    public static Study Activations(int width = 16)
    {
        Layer Net(Layer activation, Layer norm) => Sequential(
            Conv(width, 3, padding: 1), norm, activation, MaxPool(2),
            Conv(2 * width, 3, padding: 1), norm, activation, MaxPool(2),
            GlobalAvgPool, Flatten, Dense(10));
        return new("activations", $"ReLU vs GELU vs SiLU, and BatchNorm vs GroupNorm, on one conv net ({width} and {2 * width} channels)", Fashion,
        [
            new("relu-bn", Net(ReLU, BatchNorm), "relu"),
            new("gelu-bn", Net(GELU(), BatchNorm), "gelu"),
            new("silu-bn", Net(SiLU, BatchNorm), "silu"),
            new("relu-gn", Net(ReLU, GroupNorm(4)), "groupnorm"),
        ]);
    }
}
