using Functional.Pictures;
using Xunit;

namespace Functional.Tests;

public class PicturesLabelPlacementTests
{
    [Fact]
    public void Labels_of_coinciding_points_do_not_overlap()
    {
        // Five plain nets at the same parameter count and chance accuracy: the skip study's case.
        var labels = Enumerable.Range(0, 5).Select(i => (X: 300.0 + i, Y: 200.0, W: 60, H: 14)).ToList();
        var boxes = LabelPlacement.Place(labels, 0, 720, 0, 480);
        for (var i = 0; i < boxes.Count; i++)
            for (var j = i + 1; j < boxes.Count; j++)
                Assert.True(boxes[i].Overlap(boxes[j]) == 0, $"labels {i} and {j} overlap: {boxes[i]} {boxes[j]}");
    }

    [Fact]
    public void A_lone_label_sits_right_of_its_point_and_flips_left_at_the_right_edge()
    {
        Assert.Equal(new LabelBox(110, 93, 40, 14), LabelPlacement.Place([(100, 100, 40, 14)], 0, 720, 0, 480).Single());
        Assert.Equal(new LabelBox(650, 93, 40, 14), LabelPlacement.Place([(700, 100, 40, 14)], 0, 720, 0, 480).Single());
    }
}
