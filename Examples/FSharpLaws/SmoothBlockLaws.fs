/// The user's laws for their own layer: each a `[<Property>]` of a line or two that hands a generated case to the
/// Functional.Laws kit. FsCheck shrinks a failure to the smallest case and prints it with the Replay pair.
module Functional.Examples.FSharpLaws.SmoothBlockLaws

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Functional
open Functional.Laws
open Functional.Examples.FSharpLaws.SmoothBlock

/// One configuration of the block and an input it fits; the shift serves the equivariance law.
type Case =
    { Channels: int; Height: int; Width: int; Filters: int; Kernel: int; ShiftH: int; ShiftW: int; Seed: int }
    member c.Input = Shape.Image(c.Channels, c.Height, c.Width)
    member c.Layer = smoothBlock c.Filters c.Kernel

/// Small cases (central differences cost two forward passes per input and weight), and the kernel never wider
/// than the map, as circular padding requires.
type Cases =
    static member Case() : Arbitrary<Case> =
        gen {
            let! channels = Gen.choose (1, 3)
            let! height = Gen.choose (3, 6)
            let! width = Gen.choose (3, 6)
            let! filters = Gen.choose (1, 3)
            let! kernel = Gen.elements [ 1; 3 ]
            let! shiftH = Gen.choose (-height, height)
            let! shiftW = Gen.choose (-width, width)
            let! seed = Gen.choose (0, 10_000)
            return { Channels = channels; Height = height; Width = width; Filters = filters; Kernel = kernel
                     ShiftH = shiftH; ShiftW = shiftW; Seed = seed }
        }
        |> Arb.fromGen

// A fixed start seed, so every run checks the same cases; paste a failure's pair here to replay it.
[<Properties(Arbitrary = [| typeof<Cases> |], MaxTest = 40, Replay = "(20261207,1)")>]
module Laws =

    [<Property>]
    let ``the block computes the shapes it declares`` (c: Case) =
        LayerLaws.CheckShapeAgreement(c.Layer, c.Input, seed = c.Seed)

    [<Property(MaxTest = 15)>]
    let ``the block's pullback matches central differences`` (c: Case) =
        LayerLaws.CheckGradients(c.Layer, c.Input, seed = c.Seed)

    [<Property>]
    let ``the block commutes with cyclic shifts of its input`` (c: Case) =
        LayerLaws.CheckTranslationEquivariance(c.Layer, c.Input, [| c.ShiftH; c.ShiftW |], seed = c.Seed)
