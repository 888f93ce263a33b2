// A study from shapes alone: one 5×5 conv against two 3×3 or one 7×7 against three 3×3 (VGG's argument).
// The same receptive field for fewer parameters and mult-adds; no data, no training.
// Run: dotnet fsi Examples/Scripts/stacking.fsx
#r "nuget: Functional.FSharp"

open Functional.Research
open Functional.FSharp

let stack convs kernel =
    conv 32 (3, 3) |> withPadding 1 => relu
    => repeat convs (conv 32 (kernel, kernel) |> withPadding (kernel / 2) => relu)
    => maxPool (2, 2) => flatten => dense 10

let variants =
    [ Variant("1x5x5", stack 1 5, "field 5")
      Variant("2x3x3", stack 2 3, "field 5")
      Variant("1x7x7", stack 1 7, "field 7")
      Variant("3x3x3", stack 3 3, "field 7") ]

let report = Sweep(image (1, 28, 28), variants).Run()
printfn "%s" (report.Table())
for big, small in [ "1x5x5", "2x3x3"; "1x7x7", "3x3x3" ] do
    printfn "%s has %.0f%% of %s's parameters" small (100.0 * float report.[small].Parameters / float report.[big].Parameters) big
