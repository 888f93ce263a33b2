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
}
