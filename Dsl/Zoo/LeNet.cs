using Functional.Network;
using static Functional.Dsl.Layers;

namespace Functional.Dsl.Zoo;

/// <summary>Which activation and pooling a modern LeNet-5 uses.</summary>
public enum LeNetStyle
{
    /// <summary>ReLU and max pooling (today's usual choice).</summary>
    ReluMax,
    /// <summary>Tanh and average pooling (closer to the 1998 network).</summary>
    TanhAverage,
}

/// <summary>LeNet-5, in its modern form and as published in 1998.</summary>
public static class LeNet
{
    /// <summary>
    /// LeNet-5 for 1×28×28 inputs (conv1 padded by 2, so it sees 32×32 as the original): conv 6@5×5, pool,
    /// conv 16@5×5, pool, then 120, 84 and <paramref name="classes"/> units; 61,706 parameters for 10 classes.
    /// Paths are those of the same <c>nn.Sequential</c> in PyTorch (<c>0.weight</c>, <c>3.weight</c>, <c>7.weight</c>, …).
    /// </summary>
    public static Layer Modern(LeNetStyle style = LeNetStyle.ReluMax, int classes = 10)
    {
        var act = style == LeNetStyle.ReluMax ? ReLU : Tanh;
        Layer Pool() => style == LeNetStyle.ReluMax ? MaxPool(2) : AvgPool(2);
        return Sequential(Conv(6, 5, padding: 2), act, Pool(), Conv(16, 5), act, Pool(),
            Flatten, Dense(120), act, Dense(84), act, Dense(classes));
    }

    /// <summary>
    /// The 1998 LeNet-5 on 1×32×32: C1 conv 6@5×5; S2 a 2×2 average with a trainable coefficient and bias per
    /// map; C3 16@5×5 where each map reads only the S2 maps of LeCun's connection table (a concat of branches that
    /// select their inputs); S4 as S2; C5 conv 120@5×5; F6 84 units; a 10-unit output (dense in place of the
    /// RBF). Tanh squashing throughout. 60,850 parameters.
    /// </summary>
    public static Layer Classic()
    {
        var c3 = Concat(Table.Select(inputs => Channels(inputs).Then(Conv(1, 5))).ToArray());
        return Sequential(
            Named("c1", Conv(6, 5)), Tanh,
            Named("s2", AvgPool(2).Then(ChannelAffine)), Tanh,
            Named("c3", c3), Tanh,
            Named("s4", AvgPool(2).Then(ChannelAffine)), Tanh,
            Named("c5", Conv(120, 5)), Tanh, Flatten,
            Named("f6", Dense(84)), Tanh,
            Named("output", Dense(10)));
    }

    /// <summary>Which S2 maps each C3 map reads (LeCun et al. 1998, table I): six read 3 neighbours, six read 4
    /// neighbours, three read 4 non-adjacent maps and one reads all six (60 connections of 5×5 weights).</summary>
    public static IReadOnlyList<int[]> Table { get; } =
    [
        [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [0, 4, 5], [0, 1, 5],
        [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [0, 3, 4, 5], [0, 1, 4, 5], [0, 1, 2, 5],
        [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],
        [0, 1, 2, 3, 4, 5],
    ];
}
