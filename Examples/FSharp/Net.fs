/// F#-facing helpers over the C# DSL: an infix composition operator and pipeline-friendly functions.
module Functional.FSharp.Net

open Functional.Network
open Functional.Dsl

/// a => b is a.Then(b): the layer a followed by b.
let inline (=>) (a: Layer) (b: Layer) : Layer = a.Then b

/// net |> andThen next appends a layer in a pipeline.
let andThen (next: Layer) (net: Layer) : Layer = net.Then next

/// The layers one after another (the identity for an empty list, as Then's unit).
let sequential (layers: Layer list) : Layer = List.fold (fun (acc: Layer) l -> acc.Then l) Layers.Identity layers
