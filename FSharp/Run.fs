namespace Functional.FSharp

open Functional
open Functional.Network
open Functional.Dsl

/// Networks as pipeline arguments: shapes first, the network last, so `net |> init (1, 28, 28) 42` reads left to right.
[<AutoOpen>]
module Run =
    /// The per-sample shape C×H×W of an image.
    let image (channels: int, height: int, width: int) : Shape = Shape.Image(channels, height, width)

    /// Parameters and state for a `(c, h, w)` input, from `seed`, on the fast Cpu backend.
    let init (c: int, h: int, w: int) (seed: int) (net: Layer) : Model = net.Init(image (c, h, w), seed)

    /// The torchinfo-style table of `net` for a `(c, h, w)` input, from shapes alone.
    let summary (c: int, h: int, w: int) (net: Layer) : string = (net.Summary(image (c, h, w))).ToString()

    /// Trainable parameters of `net` for a `(c, h, w)` input, counted from shapes alone.
    let parameterCount (c: int, h: int, w: int) (net: Layer) : int64 = net.ParameterCount(image (c, h, w))
