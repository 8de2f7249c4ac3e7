using System.CommandLine;
using System.Security.Cryptography;
using JobQueue.Home;

namespace JobQueue.Cli;

/// <summary>jobqueue manager cert export|import: share one certificate authority between the managers (and client machines) of a cluster.</summary>
public static class CertCommands
{
    /// <summary>The "cert" command and its subcommands.</summary>
    public static Command Create()
    {
        var cert = new Command("cert", "Share this installation's certificate authority: every manager and client of a cluster needs the same one");
        cert.Subcommands.Add(Export());
        cert.Subcommands.Add(Import());
        return cert;
    }

    private static Command Export()
    {
        var file = new Argument<string>("FILE") { Description = "Where to write the authority (certificate and private key; keep it secret)" };
        var command = new Command("export", "Write this home's certificate authority to FILE (created if the home has none yet)") { file };
        Cli.SetAction(command, (parse, _) => Guard(() =>
        {
            ClusterCredentials.EnsureCreated(Cli.Home).Dispose();
            var target = Path.GetFullPath(parse.GetValue(file)!);
            ClusterCredentials.ExportAuthority(Cli.Home, target);
            Console.Out.WriteLine($"authority written to {target} (readable by you only); on each other machine of the cluster run: jobqueue manager cert import {Path.GetFileName(target)}");
        }));
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<string>("FILE") { Description = "An authority written by 'jobqueue manager cert export'" };
        var command = new Command("import", "Make FILE this home's certificate authority and issue this home a certificate from it") { file };
        Cli.SetAction(command, (parse, _) => Guard(() =>
        {
            ClusterCredentials.ImportAuthority(Cli.Home, Path.GetFullPath(parse.GetValue(file)!));
            Console.Out.WriteLine($"authority imported into {ClusterCredentials.DirectoryOf(Cli.Home)}");
            if (ManagerInfo.Read(Cli.Home) is { } running)
            {
                Console.Out.WriteLine($"the running manager (pid {running.Pid}) still uses the old one: restart it with jobqueue manager stop, then start");
            }
        }));
        return command;
    }

    private static Task<int> Guard(Action action)
    {
        try
        {
            action();
            return Task.FromResult(ExitCodes.Ok);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return Task.FromResult(Cli.Error(ex.Message));
        }
    }
}
