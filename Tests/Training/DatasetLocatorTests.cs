using Functional.Cli;
using Functional.Cli.Training;
using Functional.Data;
using Xunit;

namespace Functional.Tests.Training;

public class DatasetLocatorTests
{
    [Fact]
    public void An_explicit_folder_is_used_as_given_or_rejected_naming_the_files()
    {
        var locator = new DatasetLocator(d => d == "/data/fm", canInstall: true, (_, _) => throw new InvalidOperationException("must not install"), TextWriter.Null);
        Assert.Equal("/data/fm", locator.Locate("/data/fm"));
        var e = Assert.Throws<UsageException>(() => locator.Locate("/elsewhere"));
        Assert.Contains("--data /elsewhere", e.Message);
        Assert.Contains(FashionMnist.TrainImages, e.Message);
    }

    [Fact]
    public void Without_rights_to_install_it_says_exactly_what_to_run()
    {
        var locator = new DatasetLocator(_ => false, canInstall: false, (_, _) => throw new InvalidOperationException("must not install"), TextWriter.Null);
        var e = Assert.Throws<UsageException>(() => locator.Locate(null));
        Assert.Contains("sudo apt-get install -y dataset-fashion-mnist", e.Message);
        Assert.Contains(FashionMnist.DebianDirectory, e.Message);
    }

    [Fact]
    public void As_root_it_installs_the_package_refreshing_the_lists_when_the_first_attempt_fails()
    {
        var installed = false;
        var calls = new List<string>();
        int Run(string file, string args)
        {
            calls.Add($"{file} {args}");
            if (args == "update") return 0;
            if (calls.Count == 1) return 100;   // stale package lists on a fresh machine
            installed = true;
            return 0;
        }
        var log = new StringWriter();
        var locator = new DatasetLocator(_ => installed, canInstall: true, Run, log);
        Assert.Equal(FashionMnist.DebianDirectory, locator.Locate(null));
        Assert.Equal(["apt-get install -y dataset-fashion-mnist", "apt-get update", "apt-get install -y dataset-fashion-mnist"], calls);
        Assert.Contains("installing the Debian package", log.ToString());
    }

    [Fact]
    public void A_failed_install_is_one_clear_error()
    {
        var locator = new DatasetLocator(_ => false, canInstall: true, (_, _) => 1, TextWriter.Null);
        Assert.Contains("could not install dataset-fashion-mnist", Assert.Throws<UsageException>(() => locator.Locate(null)).Message);
    }
}
