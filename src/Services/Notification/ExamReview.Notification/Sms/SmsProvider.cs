namespace ExamReview.Notification.Sms;

/// <summary>One SMS as the provider takes it: an idempotency key (OutId), the number, the sign and the template with its variables.</summary>
public sealed record ProviderSmsRequest(string OutId, string MobileNumber, string SignName, string TemplateCode, string? TemplateParamJson, string Text);

/// <summary>The provider's answer to a send it processed: accepted (with its id), or refused for good.</summary>
public sealed record ProviderSendResult(bool Accepted, string? BizId, string? ErrorCode, string? ErrorMessage)
{
    public static ProviderSendResult Ok(string? bizId) => new(true, bizId, null, null);

    public static ProviderSendResult Refused(string code, string message) => new(false, null, code, message);
}

public enum ProviderDeliveryState
{
    Waiting,
    Delivered,
    Failed,
}

/// <summary>What the provider knows about an SMS it accepted (Alibaba's SmsSendDetailDTO).</summary>
public sealed record ProviderSmsRecord(string OutId, string? BizId, ProviderDeliveryState State, string? ErrorCode, DateTimeOffset? ReceivedAt);

/// <summary>
/// The provider could not be asked, or did not answer, or answered with a temporary error. When
/// <see cref="MayHaveBeenSent"/> is true the request may have reached it and been accepted (lost answer, timeout).
/// </summary>
public sealed class SmsProviderUnavailableException(string message, bool mayHaveBeenSent, Exception? inner = null) : Exception(message, inner)
{
    public bool MayHaveBeenSent { get; } = mayHaveBeenSent;
}

/// <summary>An SMS provider's API.</summary>
public interface ISmsProvider
{
    /// <summary>Sends one SMS. Temporary failures throw <see cref="SmsProviderUnavailableException"/>.</summary>
    Task<ProviderSendResult> SendAsync(ProviderSmsRequest request, CancellationToken cancellationToken);

    /// <summary>Looks for an SMS with this OutId sent to the number since <paramref name="since"/>; null when the provider has none.</summary>
    Task<ProviderSmsRecord?> FindAsync(string mobileNumber, string outId, DateTimeOffset since, CancellationToken cancellationToken);
}
