module Functional.FSharp.Tests.HyperTests

open System
open Xunit
open Functional
open Functional.FSharp

[<Fact>]
let ``withStride and withPadding apply to pooling windows too`` () =
    let pool = maxPool (3, 3) |> withStride 1 |> withPadding 1
    Assert.Equal(Shape.Image(4, 9, 9), pool.OutputShape(image (4, 9, 9)))

[<Fact>]
let ``withPaddingHW pads H and W separately`` () =
    let c = conv 2 (3, 5) |> withPaddingHW (1, 2)
    Assert.Equal(Shape.Image(2, 6, 7), c.OutputShape(image (1, 6, 7)))

[<Fact>]
let ``withSamePadding gives ceil(i / s) for a strided conv`` () =
    let c = conv 2 (3, 3) |> withStride 2 |> withSamePadding
    Assert.Equal(Shape.Image(2, 4, 4), c.OutputShape(image (1, 7, 7)))

[<Fact>]
let ``withDilation and withGroups reach the convolution`` () =
    let c = conv 4 (3, 3) |> withDilation 2 |> withGroups 2
    Assert.Equal(Shape.Image(4, 4, 4), c.OutputShape(image (2, 8, 8)))
    Assert.Equal(int64 (4 * 1 * 9 + 4), c |> parameterCount (2, 8, 8))

[<Fact>]
let ``a named conv keeps its name when its padding changes`` () =
    // `|>` and `=>` share a precedence and associate left: this is (named … |> withPadding 1) => relu.
    let c = named "stem" (conv 4 (3, 3)) |> withPadding 1 => relu
    let paths = (c |> init (1, 6, 6) 0).Parameters.Paths |> List.ofSeq
    Assert.Equal<string list>([ "stem.weight"; "stem.bias" ], paths)
    Assert.Equal(Shape.Image(4, 6, 6), c.OutputShape(image (1, 6, 6)))

[<Fact>]
let ``a hyper-parameter given to a whole chain is refused, naming what it got`` () =
    let e = Assert.Throws<ArgumentException>(fun () -> conv 4 (3, 3) => relu |> withPadding 1 |> ignore)
    Assert.StartsWith("withPadding applies to one convolution or pooling layer, not to", e.Message)

[<Fact>]
let ``repeat refuses a negative count`` () =
    Assert.Throws<ArgumentException>(fun () -> repeat -1 relu |> ignore) |> ignore
