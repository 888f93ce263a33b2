// One epoch of training on the data extract, as SweepTraining.Fit runs it for each variant.
open Functional.Data
open Functional.Random
open Functional.Research
open Functional.Training
let data = FashionMnist.Load("fashion-mnist")
let norm = Normalization.Of data.Train
let fit =
    SweepTraining.Fit(DataLoader.Over(data.Train, 32).Shuffled(Key.FromSeed 1L).Normalized norm,
                      DataLoader.Over(data.Test, 100).Normalized norm, Optimizer.Adam 3e-3, FitOptions(1, 0L))
