// Loaders over the data extract, and one batch of it.
using Functional.Data;
using Functional.Random;
var splits = FashionMnist.Load("fashion-mnist");
var norm = Normalization.Of(splits.Train);
var trainLoader = DataLoader.Over(splits.Train, 32).Shuffled(Key.FromSeed(1)).Normalized(norm);
var testLoader = DataLoader.Over(splits.Test, 100).Normalized(norm);
var first = trainLoader.Epoch(0).First();
var (images, labels) = (first.Images, first.Labels);
