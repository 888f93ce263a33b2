/// The F# surface is judged by what compiles without annotations: every binding below that takes a parameter
/// leaves its type to inference. If a signature in Functional.FSharp stops inferring (an overload, a PerDim, a
/// C# tuple), this file stops compiling and the test project fails.
module Functional.FSharp.Tests.InferenceTests

open Xunit
open Functional
open Functional.Backends
open Functional.FSharp

// The finding this module answers: `kernel` must come out as int, and `kernel / 2` must be accepted.
let block width kernel = conv width (kernel, kernel) |> withPadding (kernel / 2) => relu

let stack depth width = repeat depth (block width 3)

let net depth width =
    [ for _ in 1 .. depth -> conv width (3, 3) |> withPadding 1 => relu ]
    |> List.reduce (=>)
    |> fun convs -> convs => maxPool (2, 2) => flatten => dense 10

let downsample width = conv width (3, 3) |> withStride 2 |> withPadding 1 |> withoutBias => batchNorm => relu

[<Fact>]
let ``a padded block keeps the spatial size for any odd kernel`` () =
    for kernel in [ 1; 3; 5; 7 ] do
        Assert.Equal(Shape.Image(8, 16, 16), (block 8 kernel).OutputShape(image (3, 16, 16)))

[<Fact>]
let ``a block's parameters are its kernel's taps times channels, plus a bias`` () =
    Assert.Equal(int64 (8 * 3 * 5 * 5 + 8), block 8 5 |> parameterCount (3, 16, 16))

[<Fact>]
let ``the README sweep's net counts 10w + (d-1)(9w²+w) + 1960w + 10 parameters`` () =
    for depth, width in [ 1, 4; 2, 8; 3, 4 ] do
        let expected = 10 * width + (depth - 1) * (9 * width * width + width) + 14 * 14 * width * 10 + 10
        Assert.Equal(int64 expected, net depth width |> parameterCount (1, 28, 28))

[<Fact>]
let ``a strided block halves the image and has no conv bias`` () =
    let d = downsample 16
    Assert.Equal(Shape.Image(16, 8, 8), d.OutputShape(image (3, 16, 16)))
    let paths = (d |> init (3, 16, 16) 0).Parameters.Paths |> List.ofSeq
    Assert.Equal<string list>([ "0.weight"; "1.weight"; "1.bias" ], paths)

[<Fact>]
let ``=> is Then, repeat is sequential copies, and the empty sequence is the identity`` () =
    Assert.Equal(relu.Then(maxPool (2, 2)), relu => maxPool (2, 2))
    Assert.Equal(block 4 3 => block 4 3 => block 4 3, stack 3 4)
    Assert.Equal(identity, sequential [])
    Assert.Equal(Shape.Image(2, 5, 5), (sequential []).OutputShape(image (2, 5, 5)))

[<Fact>]
let ``init runs on the fast Cpu backend unless told otherwise`` () =
    let model = net 1 4 |> init (1, 28, 28) 7
    Assert.Equal(ExecutionContext.Cpu(), model.Context)
    Assert.Equal("cpu", model.Context.Backend.Name.ToLowerInvariant().Substring(0, 3))
