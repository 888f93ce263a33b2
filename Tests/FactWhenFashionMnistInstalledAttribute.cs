using Functional.Data;
using Xunit;

namespace Functional.Tests;

/// <summary>
/// A fact that needs the full Fashion-MNIST files of the Debian package. Where they are absent (CI need not
/// install them) the test is reported as skipped with the reason, instead of passing without checking anything.
/// </summary>
public sealed class FactWhenFashionMnistInstalledAttribute : FactAttribute
{
    public FactWhenFashionMnistInstalledAttribute()
    {
        if (!FashionMnist.Exists(FashionMnist.DebianDirectory))
            Skip = $"the full Fashion-MNIST files are not in {FashionMnist.DebianDirectory} (apt-get install dataset-fashion-mnist)";
    }
}
