namespace JobQueue.Tests.Queue;

/// <summary>
/// A fault for the test host: once armed, the next reservation is made and committed, and then its answer is lost on
/// the way back, as when the manager holding the call dies after the job was taken.
/// </summary>
public sealed class LostAnswers : IIncomingGrainCallFilter
{
    private Type? _armed;
    private Exception? _fault;

    /// <summary>
    /// Loses the answer of the next reserve call to a grain of <paramref name="grain"/> that takes a job, with
    /// <paramref name="fault"/> (the manager went away, unless told otherwise) in its place.
    /// </summary>
    public void Arm(Type grain, Exception? fault = null)
    {
        _fault = fault ?? new SiloUnavailableException("the answer was lost (test fault)");
        Volatile.Write(ref _armed, grain);
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        var armed = Volatile.Read(ref _armed);
        if (armed is not null && context.InterfaceMethod?.DeclaringType == armed && context.Result is Job
            && Interlocked.CompareExchange(ref _armed, null, armed) == armed)
        {
            throw _fault!;
        }
    }
}
