using Webhooks.Protection;

namespace Webhooks.Tests.Protection;

/// <summary>
/// Deliveries asking <see cref="EndpointAdmission"/> in virtual time, the way both drivers do: each
/// asks once, and a held one asks again at its turn plus a lateness (a queue's or a durable timer's),
/// until it is sent. What it records is what the endpoint would have received.
/// </summary>
public sealed class AdmissionSimulation(ProtectionPolicy policy, int? limit, Func<int, int, TimeSpan> lateness, Func<DateTimeOffset, EndpointState, EndpointState>? weather = null)
{
    public static readonly DateTimeOffset Start = new(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);

    public List<DateTimeOffset> Sends { get; } = [];

    public int Asks { get; private set; }

    public int TurnsInThePast { get; private set; }

    public EndpointState State { get; set; } = EndpointState.Fresh("org", "wh");

    /// <summary>Runs deliveries that first ask at <paramref name="arrivals"/> until each is sent (or the ask budget runs out).</summary>
    public AdmissionSimulation Run(IReadOnlyList<DateTimeOffset> arrivals, int askBudget = 1_000_000)
    {
        var asking = new PriorityQueue<(int Delivery, int Ask), (DateTimeOffset, int)>();
        for (var i = 0; i < arrivals.Count; i++)
        {
            asking.Enqueue((i, 0), (arrivals[i], i));
        }
        while (asking.TryDequeue(out var next, out var key) && Asks < askBudget)
        {
            var now = key.Item1;
            Asks++;
            // What the endpoint's answers did to its state meanwhile (a slow-down, a recovery).
            State = weather?.Invoke(now, State) ?? State;
            var (admission, state) = EndpointAdmission.Admit(State, limit, policy, $"dlv_{next.Delivery}", now);
            State = state;
            if (admission.NotBefore is { } turn)
            {
                if (turn <= now)
                {
                    TurnsInThePast++;
                }
                asking.Enqueue((next.Delivery, next.Ask + 1), (turn + lateness(next.Delivery, next.Ask), next.Delivery));
            }
            else
            {
                Sends.Add(now);
            }
        }
        return this;
    }

    /// <summary>The most sends in any window of <paramref name="width"/>.</summary>
    public int BusiestWindow(TimeSpan width) => ProtectionScenario.BusiestWindow(Sends, width);

    /// <summary>What the rate allows in a window of <paramref name="width"/>: rate × (width + tolerance) + 1.</summary>
    public static int Allowed(double rate, TimeSpan width, ProtectionPolicy policy) =>
        (int)Math.Floor(rate * (width + policy.RateTolerance).TotalSeconds) + 1;
}
