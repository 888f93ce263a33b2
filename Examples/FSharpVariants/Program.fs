/// A research script in F#: a depth × width sweep written with list expressions and pipelines over the DSL,
/// static figures for every variant, and (with --data) a short training run each, printed as the same table
/// `./build.sh variants` prints. Checks its own figures and exits with 1 if one is wrong.
module Functional.FSharpVariants.Program

open System
open System.IO
open Functional
open Functional.Data
open Functional.Random
open Functional.Research
open Functional.Training
open Functional.FSharp

/// `depth` 3×3 convs of `width` channels, 2×2 max pooling, a dense classifier.
let net depth width =
    [ for _ in 1 .. depth -> conv width (3, 3) |> withPadding 1 => relu ]
    |> List.reduce (=>)
    |> fun convs -> convs => maxPool (2, 2) => flatten => dense 10

let variants =
    [ for depth in [ 1; 2; 3 ] do
        for width in [ 4; 8 ] ->
            Variant($"d{depth}-w{width}", net depth width, $"depth {depth}") ]

/// 9w + w for the first conv, 9w² + w for each further one, 14·14·w·10 + 10 for the classifier.
let expectedParameters depth width =
    int64 (10 * width + (depth - 1) * (9 * width * width + width) + 14 * 14 * width * 10 + 10)

let option name (args: string array) =
    args |> Array.tryFindIndex ((=) name) |> Option.map (fun i -> args.[i + 1])

let check name ok =
    printfn "%s %s" (if ok then "ok  " else "FAIL") name
    ok

[<EntryPoint>]
let main args =
    let input = Shape.Image(1, 28, 28)
    let sweep = Sweep(input, variants)
    let train =
        option "--data" args
        |> Option.map (fun dir ->
            let limit = option "--limit" args |> Option.map int |> Option.defaultValue 512
            let testLimit = option "--test-limit" args |> Option.map int |> Option.defaultValue 200
            let epochs = option "--epochs" args |> Option.map int |> Option.defaultValue 1
            let splits = FashionMnist.Load(dir, limit)
            let norm = Normalization.Of splits.Train
            let loader data size = DataLoader.Over(data, size).Normalized norm
            let trainBatches = (loader splits.Train 32).Shuffled(Key.FromSeed 1L)
            SweepTraining.Fit(trainBatches, loader (splits.Test.Take testLimit) 100, Optimizer.Adam 3e-3, FitOptions(epochs, 0L)))
    let report =
        match train with
        | Some fit -> sweep.Run(seed = 0, context = Backends.ExecutionContext.Cpu(), train = fit)
        | None -> sweep.Run()
    printfn "%s" (report.Table())

    let byDepth =
        report.Rows
        |> Seq.groupBy (fun r -> r.Group)
        |> Seq.map (fun (g, rows) -> g, rows |> Seq.sumBy (fun r -> r.Parameters))
        |> List.ofSeq
    for g, total in byDepth do printfn "%s: %d parameters over its widths" g total

    let checks =
        [ for depth in [ 1; 2; 3 ] do
            for width in [ 4; 8 ] ->
                check $"d{depth}-w{width} has 10w + (d−1)(9w²+w) + 1960w + 10 parameters"
                    (report.[$"d{depth}-w{width}"].Parameters = expectedParameters depth width)
          yield check "the receptive field grows by 2 per conv, then the pool" (report.["d3-w4"].FieldText = "8×8")
          yield check "the csv has a header and one line per variant" (report.Csv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length = 7)
          if train.IsSome then
              yield check "every variant trained: accuracy in [0, 1], positive speed"
                  (report.Rows |> Seq.forall (fun r ->
                      match r.Training with
                      | null -> false
                      | t -> t.TestAccuracy >= 0.0 && t.TestAccuracy <= 1.0 && t.ImagesPerSecond > 0.0)) ]
    if List.forall id checks then 0 else 1
