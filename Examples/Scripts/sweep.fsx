// The README's sweep: depth × width of 3×3 conv stacks, each trained for one epoch on a Fashion-MNIST folder,
// printed as the table `./build.sh variants` prints. Run: dotnet fsi Examples/Scripts/sweep.fsx [DATA_DIR]
// (default: the repository's committed extract; /usr/share/datasets/fashion-mnist for the full data).
#r "nuget: Functional.FSharp"

open System.IO
open Functional
open Functional.Data
open Functional.Random
open Functional.Research
open Functional.Training
open Functional.FSharp

let dataDir =
    match fsi.CommandLineArgs with
    | [| _; dir |] -> dir
    | _ -> Path.Combine(__SOURCE_DIRECTORY__, "..", "..", "Tests", "Fixtures", "fashion-mnist-small")

let net depth width =
    [ for _ in 1 .. depth -> conv width (3, 3) |> withPadding 1 => relu ]
    |> List.reduce (=>)
    |> fun convs -> convs => maxPool (2, 2) => flatten => dense 10

let variants =
    [ for depth in [ 1; 2; 3 ] do
        for width in [ 4; 8 ] -> Variant($"d{depth}-w{width}", net depth width, $"depth {depth}") ]

let data = FashionMnist.Load(dataDir, 2000)
let norm = Normalization.Of data.Train
let loader (set: Dataset) size = DataLoader.Over(set, size).Normalized norm
let fit = SweepTraining.Fit((loader data.Train 32).Shuffled(Key.FromSeed 1L), loader (data.Test.Take 500) 100, Optimizer.Adam 3e-3, FitOptions(1, 0L))

let report = Sweep(image (1, 28, 28), variants).Run(seed = 0, train = fit)
printfn "%s" (report.Table())
