/// A custom layer and a custom loss written as F# functions, trained through Fit.
module Functional.FSharp.Tests.FunctionTests

open Xunit
open Functional
open Functional.Data
open Functional.Functions
open Functional.Random
open Functional.Training
open Functional.FSharp

// Swish with a learnt slope per feature, and the mean squared error: each a line of tensor functions.
let swish = lambda "Swish(β)" (fun x p -> x * Fn.Sigmoid(x * p "beta")) [ constParam "beta" id 1.0f ]
let squaredError = customLoss "SquaredError" (fun prediction target -> Fn.Mean(Fn.Square(prediction - target)))

let curve n (seed: int64) =
    let x = Tensor.Uniform(Shape.Of(n, 3), Key.FromSeed seed, -1.0f, 1.0f).ToArray()
    let y = Array.init n (fun i -> sin (2.0f * x[3 * i]) + x[3 * i + 1] * x[3 * i + 2])
    TensorDataset.WithTargets(Shape.Of 3, x, Shape.Of 1, y)

[<Fact>]
let ``a lambda layer and a custom loss written in F# train through Fit`` () =
    let model = (dense 16 => swish => dense 1).Init(Shape.Of 3, 1)
    let loader = TensorLoader.Over(curve 256 2L, 32).Shuffled(Key.FromSeed 3L)
    let result = Trainer.Fit(model, Optimizer.Adam(0.02), loader, null, FitOptions(30, 4L, squaredError))
    Assert.True(result.History[0].TrainLoss > 0.1, $"first epoch's loss {result.History[0].TrainLoss}")
    let first, last = result.History[0].TrainLoss, result.History[result.History.Count - 1].TrainLoss
    Assert.True(last < first / 10.0, $"loss after the first epoch {first}, after the last {last}")

[<Fact>]
let ``grad of a sum of squares is twice the input, and the matmul operator differentiates`` () =
    let x = Tensor.FromArray(Shape.Of(2, 2), [| 1.0f; -2.0f; 3.0f; 0.5f |])
    let g = grad (fun v -> Fn.Sum(v * v)) x
    Assert.Equal<float32>([| 2.0f; -4.0f; 6.0f; 1.0f |], g.ToArray())
    let value, pullback = vjp (fun v -> v @@ v) x
    let X = x.ToArray()
    let at i j = X[2 * i + j]
    Assert.Equal<float32>(Array.init 4 (fun k -> let i, j = k / 2, k % 2 in at i 0 * at 0 j + at i 1 * at 1 j), value.ToArray())
    // d⟨X·X, G⟩/dX = G·Xᵀ + Xᵀ·G; with G all ones, entry (i, j) is the sum of row j plus the sum of column i.
    let expected = Array.init 4 (fun k -> let i, j = k / 2, k % 2 in at j 0 + at j 1 + at 0 i + at 1 i)
    Assert.Equal<float32>(expected, (pullback (Tensor.Ones(Shape.Of(2, 2)))).ToArray())
