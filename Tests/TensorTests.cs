using Functional.Random;
using Xunit;

namespace Functional.Tests;

public class TensorTests
{
    [Fact]
    public void FromArray_copies_so_later_writes_to_the_source_do_not_leak_in()
    {
        var source = new float[] { 1, 2, 3, 4, 5, 6 };
        var t = Tensor.FromArray(Shape.Of(2, 3), source);
        source[0] = 99;
        Assert.Equal(1f, t[0, 0]);
        Assert.Equal(6f, t[1, 2]);
        Assert.Equal([1f, 2, 3, 4, 5, 6], t.ToArray());
    }

    [Fact]
    public void FromArray_with_the_wrong_length_names_both_counts()
    {
        var e = Assert.Throws<ShapeException>(() => Tensor.FromArray(Shape.Image(1, 2, 2), new float[5]));
        Assert.Contains("5 values", e.Message);
        Assert.Contains("1×2×2", e.Message);
    }

    [Fact]
    public void Creation_helpers_fill_as_documented()
    {
        Assert.All(Tensor.Zeros(Shape.Of(3, 2)).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(Tensor.Ones(Shape.Of(4)).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(Tensor.Full(Shape.Of(2, 2), 2.5f).ToArray(), v => Assert.Equal(2.5f, v));
        Assert.Equal([3f, 4, 5, 6], Tensor.Arange(Shape.Of(2, 2), 3f).ToArray());
        Assert.Equal(7f, Tensor.Scalar(7f).ToArray().Single());
    }

    [Fact]
    public void Indexing_is_row_major_and_bounds_checked_per_dimension()
    {
        var t = Tensor.Arange(Shape.Images(2, 3, 4, 5));
        Assert.Equal(1 * 60 + 2 * 20 + 3 * 5 + 4, t[1, 2, 3, 4]);
        Assert.Throws<IndexOutOfRangeException>(() => t[0, 3, 0, 0]);
        Assert.Throws<ShapeException>(() => t[0, 0]);
    }

    [Fact]
    public void Reshape_is_a_view_over_the_same_storage()
    {
        var t = Tensor.Arange(Shape.Images(2, 3, 4, 4));
        var flat = t.Reshape(2, 48);
        Assert.Same(t.Storage, flat.Storage);
        Assert.Equal(Shape.Of(2, 48), flat.Shape);
        Assert.Equal(t[1, 0, 0, 1], flat[1, 1]);
        Assert.Equal(Shape.Images(2, 3, 4, 4), t.Shape);
    }

    [Fact]
    public void Reshape_to_a_different_count_is_rejected_with_both_shapes()
    {
        var e = Assert.Throws<ShapeException>(() => Tensor.Zeros(Shape.Of(2, 3)).Reshape(4, 2));
        Assert.Contains("2×3", e.Message);
        Assert.Contains("4×2", e.Message);
    }

    [Fact]
    public void AllClose_uses_absolute_and_relative_tolerance_and_requires_equal_shapes()
    {
        var a = Tensor.FromArray(Shape.Of(3), new float[] { 1f, 100f, 0f });
        Assert.True(a.AllClose(Tensor.FromArray(Shape.Of(3), new float[] { 1f, 100.0005f, 5e-7f })));
        Assert.False(a.AllClose(Tensor.FromArray(Shape.Of(3), new float[] { 1f, 100.01f, 0f })));
        Assert.True(a.AllClose(Tensor.FromArray(Shape.Of(3), new float[] { 1f, 100.01f, 0f }), rtol: 1e-3f));
        Assert.False(a.AllClose(Tensor.FromArray(Shape.Of(3), new float[] { 1f, 100f, float.NaN })));
        Assert.False(a.AllClose(a.Reshape(1, 3)));
        Assert.Equal(0.5f, a.MaxAbsDiff(Tensor.FromArray(Shape.Of(3), new float[] { 1.5f, 100f, 0f })));
    }

    [Fact]
    public void Seeded_random_tensors_repeat_exactly_and_stay_in_range()
    {
        var key = Key.FromSeed(7);
        var u = Tensor.Uniform(Shape.Of(1000), key, -2f, 3f);
        Assert.Equal(u.ToArray(), Tensor.Uniform(Shape.Of(1000), Key.FromSeed(7), -2f, 3f).ToArray());
        Assert.All(u.ToArray(), v => Assert.InRange(v, -2f, 3f));
        Assert.NotEqual(u.ToArray(), Tensor.Uniform(Shape.Of(1000), Key.FromSeed(8), -2f, 3f).ToArray());

        var n = Tensor.Normal(Shape.Of(20000), key, mean: 1f, std: 2f).ToArray();
        var mean = n.Average();
        var std = Math.Sqrt(n.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, 0.95, 1.05);
        Assert.InRange(std, 1.95, 2.05);
    }
}
