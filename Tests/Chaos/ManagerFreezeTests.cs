using System.Text;
using System.Text.Json;
using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Chaos;

/// <summary>Chaos 4: a manager frozen (SIGSTOP) past the membership timeout is declared dead, fenced, and leaves.</summary>
[Collection(ChaosCollection.Name)]
public sealed class ManagerFreezeTests
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private const int Dead = 6;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_frozen_manager_is_declared_dead_the_others_carry_on_and_once_resumed_it_accepts_nothing_and_leaves()
    {
        await using var cluster = await ChaosCluster.StartAsync(
            2, null, "--Membership:ProbeTimeout", "00:00:01", "--Membership:NumMissedProbesLimit", "2", "--Membership:NumVotesForDeathDeclaration", "1");
        var frozen = cluster.Managers[0];
        var live = cluster.Managers[1];
        await using var viaLive = await cluster.ConnectAsync(live);
        var rep = Jobs.Unique("chaos-frozen");
        var rams = Enumerable.Range(0, 6).Select(_ => Jobs.UniqueRam()).ToList();
        await viaLive.AddAsync(rams.Select(ram => Jobs.Spec($"echo {ram}", rep, ramMb: ram)), Ct);

        frozen.Signal(SigStop);
        await Eventually.Get(() => StatusAsync(cluster, frozen), s => s == Dead, TimeSpan.FromSeconds(45), "the others to declare the frozen manager dead");

        // The survivor hands out and completes work, whichever manager's grains it was on.
        foreach (var ram in rams)
        {
            var job = await viaLive.ReserveScheduledAsync(TimeSpan.FromSeconds(30), Jobs.GroupFor(ram), Ct);
            Assert.NotNull(job);
            await viaLive.StartedAsync(job, 1, "chaos", Ct);
            await viaLive.EndedAsync(job, 0, 1, TimeSpan.Zero, null, null, Ct);
            await viaLive.ArchiveAsync(job, Ct);
        }

        // Resumed, the dead manager commits nothing of its own: its store writes are fenced (a batch asks the
        // membership table first), so an add sent to it (through its web port: clients move on to live gateways by
        // themselves) is refused, or forwarded to a live manager and stored exactly once, or finds it gone. Then it leaves.
        frozen.Signal(SigCont);
        var late = Jobs.Spec("echo through the dead manager", rep);
        var accepted = await AddThroughAsync(frozen, late);
        await Eventually.True(() => frozen.HasExited, TimeSpan.FromSeconds(60), "the dead manager to leave");
        var stored = await viaLive.GetByCmdAsync(late.Cmd, late.Cwd, cancellationToken: Ct);
        Assert.Equal(accepted, stored is not null);

        var counts = Assert.Single(await viaLive.GetRepGroupCountsAsync(rep, Ct));
        Assert.Equal((rams.Count, 0L), (counts.Complete, counts.Running + counts.Reserved));

        // It rejoins cleanly when started again on its home.
        await using var back = await ManagerProcess.StartAsync(
            frozen.Home, "--Storage:Provider", "postgres", "--Storage:ConnectionString", cluster.ConnectionString, "--Manager:ClusterId", "chaos");
        await using var viaBack = await back.ConnectAsync();
        Assert.Equal(rams.Count, Assert.Single(await viaBack.GetRepGroupCountsAsync(rep, Ct)).Complete);
    }

    private static async Task<bool> AddThroughAsync(ManagerProcess manager, JobSpec job)
    {
        using var http = new HttpClient { BaseAddress = new Uri(manager.Info.WebUrl!), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Silo.Web.WebToken.Read(manager.Home));
        var body = JsonSerializer.Serialize(new[] { new { cmd = job.Cmd, cwd = job.Cwd, rep_grp = job.RepGroup } });
        try
        {
            using var response = await http.PostAsync("rest/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<int> StatusAsync(ChaosCluster cluster, ManagerProcess manager)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var query = new NpgsqlCommand("SELECT status FROM orleansmembershiptable WHERE port = $1 ORDER BY generation DESC LIMIT 1", connection);
        query.Parameters.Add(new NpgsqlParameter { Value = manager.Info.SiloPort });
        return await query.ExecuteScalarAsync(Ct) is int status ? status : -1;
    }
}
