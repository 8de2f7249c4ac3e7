using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>A test cluster of its own: draining and shutting down change it for good.</summary>
public sealed class DrainingClusterFixture : QueueClusterFixture;
