using JobQueue.Cli;
using JobQueue.Silo.Hosting;

if (CliApp.HostsManager(args))
{
    ManagerGc.RestartWithBudget();
}

return await CliApp.RunAsync(args);
