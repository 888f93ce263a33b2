namespace Functional.FSharp

open System

open Functional
open Functional.Network
open Functional.Network.Combinators
open Functional.Network.Primitives
open Functional.Dsl

/// Hyper-parameters set after construction, in a pipeline: `conv 16 (5, 5) |> withStride 2 |> withPadding 2`.
/// Each returns a new layer; it applies to a convolution or pooling layer (also under `named`) and raises
/// ArgumentException naming the layer otherwise, for instance when given a whole chain.
[<AutoOpen>]
module Hyper =
    let private change (what: string) (f: Layer -> Layer option) (layer: Layer) : Layer =
        let rec go (l: Layer) =
            match l with
            | :? Named as n -> Layers.Named(n.Name, go n.Layer)
            | _ ->
                match f l with
                | Some changed -> changed
                | None -> invalidArg "layer" $"{what} applies to one convolution or pooling layer, not to {l.Description}."
        go layer

    let private conv (what: string) (f: ConvLayer -> ConvLayer) =
        change what (function :? ConvLayer as c -> Some(f c :> Layer) | _ -> None)

    let private withConv (c: ConvLayer) stride padding dilation groups bias =
        ConvLayer(c.Filters, c.Kernel, stride, padding, dilation, groups, bias, c.Mode, c.Rank, c.Depthwise)

    let private withPool (p: PoolLayer) stride padding dilation =
        PoolLayer(p.Type, p.Kernel, stride, padding, dilation, p.CeilMode, p.CountIncludePad)

    let private withTransposed (t: ConvTransposeLayer) stride padding =
        ConvTransposeLayer(t.Filters, t.Kernel, stride, padding, t.OutputPadding, t.Dilation, t.Groups, t.Bias)

    /// The step of a convolution or pooling window along every spatial dim.
    let withStride (stride: int) (layer: Layer) : Layer =
        let s = PerDim.Of stride
        layer |> change "withStride" (function
            | :? ConvLayer as c -> Some(withConv c s c.Padding c.Dilation c.Groups c.Bias)
            | :? PoolLayer as p -> Some(withPool p (Nullable s) p.Padding p.Dilation)
            | :? ConvTransposeLayer as t -> Some(withTransposed t s t.Padding)
            | _ -> None)

    /// The same zero padding on both sides of every spatial dim.
    let withPadding (padding: int) (layer: Layer) : Layer =
        let p = PerDim.Of padding
        layer |> change "withPadding" (function
            | :? ConvLayer as c -> Some(withConv c c.Stride (Padding.Of padding) c.Dilation c.Groups c.Bias)
            | :? PoolLayer as q -> Some(withPool q q.Stride (Nullable p) q.Dilation)
            | :? ConvTransposeLayer as t -> Some(withTransposed t t.Stride p)
            | _ -> None)

    /// Padding `ph` along H and `pw` along W (a 2-d convolution).
    let withPaddingHW (ph: int, pw: int) (layer: Layer) : Layer =
        layer |> conv "withPaddingHW" (fun c -> withConv c c.Stride (Padding.Of(ph, pw)) c.Dilation c.Groups c.Bias)

    /// TensorFlow's SAME padding: output size ⌈i/s⌉ for any stride (a convolution).
    let withSamePadding (layer: Layer) : Layer =
        layer |> conv "withSamePadding" (fun c -> withConv c c.Stride Padding.Same c.Dilation c.Groups c.Bias)

    /// Spacing between kernel taps (a convolution).
    let withDilation (dilation: int) (layer: Layer) : Layer =
        layer |> conv "withDilation" (fun c -> withConv c c.Stride c.Padding (PerDim.Of dilation) c.Groups c.Bias)

    /// Channel groups (a convolution); in- and out-channels must both divide by it.
    let withGroups (groups: int) (layer: Layer) : Layer =
        layer |> conv "withGroups" (fun c -> withConv c c.Stride c.Padding c.Dilation groups c.Bias)

    /// No per-channel bias (a convolution), as before a batch norm.
    let withoutBias (layer: Layer) : Layer =
        layer |> conv "withoutBias" (fun c -> withConv c c.Stride c.Padding c.Dilation c.Groups false)
