// The law kit (package Functional.Laws) and the DSL.
using Functional;
using Functional.Laws;
using Functional.Network;
using static Functional.Dsl.Layers;
