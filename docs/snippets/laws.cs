// LayerLaws and the DSL.
using Functional;
using Functional.Properties;
using static Functional.Dsl.Layers;
