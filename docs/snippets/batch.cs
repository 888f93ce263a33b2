// A batch of eight random 1×28×28 images with labels, and a dropout key.
using Functional;
using Functional.Random;
var images = Tensor.Uniform(Shape.Images(8, 1, 28, 28), Key.FromSeed(1));
int[] labels = [0, 1, 2, 3, 4, 5, 6, 7];
var key = Key.FromSeed(2);
