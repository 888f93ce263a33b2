namespace Functional.FSharp

open Functional.Network
open Functional.Dsl

/// Composition: `a => b` and pipeline functions over whole networks. Opened with `open Functional.FSharp`.
[<AutoOpen>]
module Compose =
    /// `a => b` is `a.Then(b)`: the layer `a` followed by `b`. Left-associative, and `Then` is associative, so
    /// `a => b => c` is one chain numbered 0, 1, 2.
    let inline (=>) (a: Layer) (b: Layer) : Layer = a.Then b

    /// `net |> andThen next` appends `next` in a pipeline.
    let andThen (next: Layer) (net: Layer) : Layer = net.Then next

    /// The layers one after another; the empty list is `identity`, the unit of `=>`.
    let sequential (layers: Layer list) : Layer = List.fold (fun (acc: Layer) l -> acc.Then l) Layers.Identity layers

    /// `count` copies of `block` one after another (`count` = 0 gives `identity`).
    let repeat (count: int) (block: Layer) : Layer =
        if count < 0 then invalidArg (nameof count) $"repeat needs a count ≥ 0, got {count}."
        List.replicate count block |> sequential

    /// `layer` under `name` in parameter paths and errors (`named "fc1" (dense 10)` owns `fc1.weight`).
    let named (name: string) (layer: Layer) : Layer = Layers.Named(name, layer)
