// Trains a small net briefly on a Fashion-MNIST folder, saves it and loads it back; the packages come from
// artifacts/packages (`./build.sh pack`; nuget.config here names that folder). Run: dotnet fsi Examples/Scripts/train.fsx [DATA_DIR]
// (default: the repository's committed extract). CI runs it against the freshly packed packages.
#r "nuget: Functional.Dsl"

open System.IO
open Functional.Data
open Functional.Io
open Functional.Random
open Functional.Training
open type Functional.Dsl.Layers

let dataDir =
    match fsi.CommandLineArgs with
    | [| _; dir |] -> dir
    | _ -> Path.Combine(__SOURCE_DIRECTORY__, "..", "..", "Tests", "Fixtures", "fashion-mnist-small")

let data = FashionMnist.Load dataDir
let norm = Normalization.Of data.Train
let train = DataLoader.Over(data.Train, 32).Shuffled(Key.FromSeed 1L).Normalized norm
let test = DataLoader.Over(data.Test, 100).Normalized norm

let net = Conv(8, 3, padding = 1).Then(ReLU).Then(MaxPool 2).Then(Flatten).Then(Dense 10)
let fit = Trainer.Fit(net.Init(data.Train.SampleShape, seed = 42), Optimizer.Adam 3e-3, train, test, FitOptions(Epochs = 1))
let before = Trainer.Evaluate(fit.Model, test).Accuracy

let file = Path.Combine(Path.GetTempPath(), $"functional-train-{System.Environment.ProcessId}.safetensors")
ModelCheckpoint.Save(file, fit.Model)
let again = ModelCheckpoint.Load(file, net).Model
File.Delete file
let after = Trainer.Evaluate(again, test).Accuracy

if after <> before then failwithf "the reloaded model scores %.4f, the trained one %.4f" after before
printfn "reloaded model: test accuracy %.4f, the same as before saving" after
