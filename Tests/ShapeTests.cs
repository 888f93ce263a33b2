using Xunit;

namespace Functional.Tests;

public class ShapeTests
{
    [Fact]
    public void Image_batch_prints_with_times_signs()
    {
        Assert.Equal("64×3×32×32", Shape.Image(3, 32, 32).WithBatch(64).ToString());
        Assert.Equal(64 * 3 * 32 * 32, Shape.Images(64, 3, 32, 32).Count);
    }

    [Fact]
    public void Shapes_compare_by_value()
    {
        Assert.Equal(Shape.Of(2, 3), Shape.Parse("2x3"));
        Assert.NotEqual(Shape.Of(2, 3), Shape.Of(3, 2));
    }

    [Fact]
    public void Index_from_end_counts_dimensions_not_elements()
    {
        var s = Shape.Images(8, 3, 32, 16);
        Assert.Equal(16, s[^1]);
        Assert.Equal(32, s[^2]);
        Assert.Equal(8, s[^4]);
    }
}
