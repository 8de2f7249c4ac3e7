namespace JobQueue.Tests.Chaos;

/// <summary>The chaos tests run alone: three managers with runners fill this machine's cores, and a test that shares them would make timings meaningless.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChaosCollection
{
    public const string Name = "chaos";
}
