// A PyTorch state dict as torch's safetensors.save_file writes it: LeNet-5's tensors, no metadata.
using Functional;
using Functional.Dsl.Zoo;
using Functional.Io;
SafeTensors.Save("state_dict.safetensors",
    LeNet.Modern().Init(Shape.Image(1, 28, 28), seed: 7).Parameters.ToDictionary(l => l.Path, l => l.Value));
