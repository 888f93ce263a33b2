namespace Functional.FSharp

open Functional
open Functional.Network

open Functional.Dsl

/// Layer constructors as curried functions of plain ints and tuples, so that F# infers every argument:
/// `let block w k = conv w (k, k) |> withPadding (k / 2)` needs no annotation. Stride, padding, dilation and
/// the like are set afterwards with the `with…` functions of `Hyper`. Tanh has no lowercase twin here, so that
/// FSharp.Core's `tanh` keeps working: use `Tanh` from `open type Functional.Dsl.Layers`.
[<AutoOpen>]
module Net =
    /// A 2-d convolution with `filters` output channels and a `(kh, kw)` kernel; stride 1, no padding, a bias.
    /// In-channels come from the input shape.
    let conv (filters: int) (kh: int, kw: int) : Layer = Layers.Conv2d(filters, PerDim.Of(kh, kw))

    /// A 1-d convolution (input N×C×L) with a kernel of `k` taps.
    let conv1d (filters: int) (k: int) : Layer = Layers.Conv1d(filters, PerDim.Of k)

    /// A 3-d convolution (input N×C×D×H×W) with a `(kd, kh, kw)` kernel.
    let conv3d (filters: int) (kd: int, kh: int, kw: int) : Layer = Layers.Conv3d(filters, PerDim.Of(kd, kh, kw))

    /// A 2-d transposed convolution (PyTorch's ConvTranspose2d) with a `(kh, kw)` kernel; stride 1, no padding.
    let convTranspose (filters: int) (kh: int, kw: int) : Layer = Layers.ConvTranspose(filters, PerDim.Of(kh, kw))

    /// A depthwise 2-d convolution: one `(kh, kw)` filter per input channel.
    let depthwise (kh: int, kw: int) : Layer = Layers.DepthwiseConv(PerDim.Of(kh, kw))

    /// A 1×1 convolution to `filters` channels.
    let pointwise (filters: int) : Layer = Layers.Pointwise filters

    /// Fully connected to `units` outputs; takes N×features (put `flatten` before it).
    let dense (units: int) : Layer = Layers.Dense units

    /// 2-d max pooling over `(kh, kw)` windows; the stride defaults to the window.
    let maxPool (kh: int, kw: int) : Layer = Layers.MaxPool(PerDim.Of(kh, kw))

    /// 2-d average pooling over `(kh, kw)` windows; the stride defaults to the window.
    let avgPool (kh: int, kw: int) : Layer = Layers.AvgPool(PerDim.Of(kh, kw))

    /// Average over every spatial position: N×C×… → N×C×1×1.
    let globalAvgPool : Layer = Layers.GlobalAvgPool

    /// Adaptive average pooling to an `(h, w)` output.
    let adaptiveAvgPool (h: int, w: int) : Layer = Layers.AdaptiveAvgPool(h, w)

    /// max(0, x).
    let relu : Layer = Layers.ReLU

    /// x for x ≥ 0, `slope`·x below.
    let leakyRelu (slope: float32) : Layer = Layers.LeakyReLU slope

    /// 1 / (1 + e^−x).
    let sigmoid : Layer = Layers.Sigmoid

    /// Softmax over dim 1.
    let softmax : Layer = Layers.Softmax

    /// N×… → N×features.
    let flatten : Layer = Layers.Flatten

    /// Batch norm over the channels (PyTorch's BatchNorm2d defaults: momentum 0.1, eps 1e-5).
    let batchNorm : Layer = Layers.BatchNorm

    /// Zeroes each element with probability `p` in training, scaling the rest by 1/(1−p).
    let dropout (p: float32) : Layer = Layers.Dropout p

    /// y = x: the unit of `=>`.
    let identity : Layer = Layers.Identity

    /// `block` plus its input (ResNet's identity shortcut, or a projection when the shapes differ).
    let residual (block: Layer) : Layer = Layers.Residual block

    /// `block` plus its input, then `after` (ResNet's BasicBlock: `residual… relu`).
    let residualThen (after: Layer) (block: Layer) : Layer = Layers.Residual(block, after = after)

    /// The branches side by side, concatenated along the channels.
    let concat (branches: Layer list) : Layer = Layers.Concat(Array.ofList branches)
