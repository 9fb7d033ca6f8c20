namespace Webhooks.Formatting;

/// <summary>One palette for every chat format, so a failure looks the same in Teams and Discord.</summary>
public static class StatusColors
{
    public static int Rgb(EventOutcome outcome) => outcome switch
    {
        EventOutcome.Success => 0x2EB886,
        EventOutcome.Failure => 0xE01E5A,
        _ => 0x439FE0,
    };

    public static string Hex(EventOutcome outcome) => Rgb(outcome).ToString("X6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The Adaptive Card colour name: cards take named colours, not RGB.</summary>
    public static string AdaptiveCard(EventOutcome outcome) => outcome switch
    {
        EventOutcome.Success => "Good",
        EventOutcome.Failure => "Attention",
        _ => "Accent",
    };
}
