/// Composes a network in F# with pipelines and folds, prints its summary, runs one forward/backward and
/// checks the results; exits with 1 if any check fails.
module Functional.FSharpExample.Program

open System
open Functional
open Functional.Network
open Functional.Random
open type Functional.Dsl.Layers
open Functional.FSharp

let block width = Conv(width, 3, padding = 1).Then(ReLU)
let variant depth width = List.replicate depth (block width) |> List.reduce (fun a b -> a.Then b)

let check name ok =
    printfn "%s %s" (if ok then "ok  " else "FAIL") name
    ok

[<EntryPoint>]
let main _ =
    let input = Shape.Image(3, 32, 32)
    let net =
        [ variant 2 8; MaxPool 2; variant 2 16; MaxPool(2, stride = 2) ]
        |> sequential
        |> andThen (Residual(Conv(16, struct (3, 1), padding = Padding.Of(1, 0)) => BatchNorm, after = ReLU))
        |> andThen GlobalAvgPool
        |> andThen Flatten
        |> andThen (Dense 10)
    printfn "%O" (net.Summary input)

    let model = net.Init(input, seed = 42)
    let x = Tensor.Uniform(Shape.Images(4, 3, 32, 32), Key.FromSeed 1L)
    let step = model.LossAndGradients(Loss.CrossEntropy, x, [| 0; 3; 9; 1 |], Key.FromSeed 2L)
    printfn "loss %.4f over %d parameters in %d tensors" step.Loss model.Parameters.ElementCount model.Parameters.Count
    for leaf in step.Gradients |> Seq.truncate 4 do
        printfn "  d%s: %O" leaf.Path leaf.Value.Shape

    let wrong = Conv(8, 5) => ReLU => Dense 10
    let message =
        try wrong.OutputShape(input) |> ignore; ""
        with :? ShapeException as e -> e.Message
    printfn "a wrong composition: %s" message

    let checks =
        [ check "gradient paths equal parameter paths" (Seq.toList step.Gradients.Paths = Seq.toList model.Parameters.Paths)
          check "gradient shapes equal parameter shapes" (model.Parameters.SameStructure step.Gradients)
          check "loss is finite and near ln 10" (Single.IsFinite step.Loss && abs (step.Loss - log 10.0f) < 1.0f)
          check "batch-norm state is updated" (step.State.Count = 2 && step.State.["10.1.running_mean"].ToArray() |> Array.exists ((<>) 0.0f))
          check "=> is Then" ((ReLU => MaxPool 2) = ReLU.Then(MaxPool 2))
          check "the wrong composition names its layer" (message.StartsWith "layer 2 (Dense(10))") ]
    if List.forall id checks then 0 else 1
