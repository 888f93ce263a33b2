namespace Functional.FSharp

open System
open Functional
open Functional.Functions
open Functional.Network
open Functional.Network.Functions

/// Tensor functions for F#: `Var` already carries `+ - * /` (with broadcasting, and with float32 scalars); this
/// module adds `@@` for matmul, curried wrappers for differentiation, and custom layers and losses written as plain
/// F# functions. The op set itself is `Fn` (`open type Functional.Functions.Fn` makes `Exp`, `Sum`, … unqualified).
[<AutoOpen>]
module Functions =
    /// The matrix product (PyTorch's matmul: batch dims broadcast).
    let ( @@ ) (a: Var) (b: Var) : Var = Fn.Matmul(a, b)

    /// f(x) and its pullback, from a cotangent of f(x) to one of x.
    let vjp (f: Var -> Var) (x: Tensor) : Tensor * (Tensor -> Tensor) =
        let struct (value, pullback) = Vjp.Of(Func<Var, Var> f, x)
        value, (fun g -> pullback.Invoke g)

    /// ∇f at x for a function with a one-element result.
    let grad (f: Var -> Var) : Tensor -> Tensor = fun x -> (Grad.Of(Func<Var, Var> f)).Invoke x

    /// A trainable parameter drawn as PyTorch draws weights, its shape a function of the per-sample input shape.
    let param (name: string) (shape: Shape -> Shape) : Param = Param.Uniform(name, Func<Shape, Shape> shape)

    /// A trainable parameter starting at `value` everywhere.
    let constParam (name: string) (shape: Shape -> Shape) (value: float32) : Param = Param.Constant(name, Func<Shape, Shape> shape, value)

    /// A custom layer: `body x p` with `p "name"` the named parameter.
    let lambda (name: string) (body: Var -> (string -> Var) -> Var) (parameters: Param list) : Layer =
        LambdaLayer(name, Func<Var, Collections.Generic.IReadOnlyDictionary<string, Var>, Var>(fun x p -> body x (fun n -> p[n])), List.toArray parameters) :> Layer

    /// A custom loss of the prediction and the target tensor, returning one value.
    let customLoss (name: string) (body: Var -> Var -> Var) : Loss = CustomLoss.Of(name, Func<Var, Var, Var> body) :> Loss
