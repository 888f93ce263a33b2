using Functional.Dsl.Zoo;
using Functional.Io;
using Functional.Network;

namespace Functional.Cli.Checkpoints;

/// <summary>
/// Zoo names for checkpoints: the name a run records in <c>architecture</c>, and the zoo model for a checkpoint
/// written before checkpoints carried their network's description (<see cref="ModelCheckpoint.NetworkKey"/>), which
/// <see cref="ModelCheckpoint.Load(string, Layer, Shape?)"/> checks against the layers the file records.
/// </summary>
internal static class KnownArchitectures
{
    /// <summary>The zoo architecture called <paramref name="name"/>, as recorded in the checkpoint <paramref name="path"/>.</summary>
    /// <exception cref="UsageException">No zoo model has that name; the message names the file and lists them.</exception>
    public static Layer Get(string name, string path)
    {
        try { return Catalog.Get(name).Build(); }
        catch (ArgumentException e) { throw new UsageException($"{path}: the checkpoint's architecture '{name}' cannot be rebuilt: {e.Message}"); }
    }

    /// <summary>The zoo name whose input shape and layers are <paramref name="model"/>'s, or null.</summary>
    public static string? NameOf(Model model)
    {
        var layers = ModelCheckpoint.Layers(model.Architecture, model.InputShape);
        return Catalog.Entries.FirstOrDefault(e => e.Input == model.InputShape && ModelCheckpoint.Layers(e.Build(), e.Input) == layers)?.Name;
    }
}
