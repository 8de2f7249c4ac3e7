using JobQueue.Cli;
using JobQueue.Silo.Hosting;

if (CliApp.HostsManager(args))
{
    ManagerRuntime.RestartWithSettings(shortLived: args[0] == "run");
}

return await CliApp.RunAsync(args);
