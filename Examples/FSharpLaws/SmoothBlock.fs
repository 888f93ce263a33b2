/// A layer of the kind a user writes for their own network: built from Functional's primitives, with its own
/// hyper-parameters. Its laws are checked in SmoothBlockLaws.fs.
module Functional.Examples.FSharpLaws.SmoothBlock

open Functional
open Functional.Network
open type Functional.Dsl.Layers

/// A stride-1 conv with circular `Same` padding (so the border wraps and nothing breaks translation symmetry),
/// a Tanh, and a second conv of the same kind added back to its input: out = h + conv(h), h = tanh(conv(x)).
let smoothBlock (filters: int) (kernel: int) : Layer =
    let conv () = Conv(filters, kernel, padding = Padding.Same, paddingMode = PaddingMode.Circular)
    conv().Then(Tanh).Then(Residual(conv ()))
