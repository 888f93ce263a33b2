// A 2-d convolution's geometry and operands: 4 images of 3×16×16, 8 filters 3×3, padding 1.
using Functional;
using Functional.Ops;
using Functional.Random;
var spec = new ConvSpec(2, 8, [3, 3], padding: 1);
var x = Tensor.Uniform(Shape.Images(4, 3, 16, 16), Key.FromSeed(1));
var w = Tensor.Uniform(Shape.Of(8, 3, 3, 3), Key.FromSeed(2));
var b = Tensor.Zeros(Shape.Of(8));
