using ExamReview.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExamReview.Registration.Accounts;

public static class AccountsRegistration
{
    /// <summary>Accounts configuration, the password hasher, and the local session check (Registration owns sessions).</summary>
    public static WebApplicationBuilder AddCandidateAccounts(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AccountOptions.Section).Get<AccountOptions>() ?? new AccountOptions();
        builder.Services.TryAddSingleton(options);
        builder.Services.TryAddSingleton(new PasswordHasher(options.PasswordHash));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICandidateSessionCheck, LocalCandidateSessionCheck>());
        return builder;
    }
}
