using System.Reflection;
using FluentValidation;
using Loupe.Application.Common.Behaviors;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Loupe.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the mediator, every handler and validator of the application, and the pipeline
    /// behaviors. The behaviors run in the order they
    /// are registered here, outermost first: this is the one place that order is decided.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(Common.Mapping.MappingConfiguration.Create());
        services.AddScoped<ServiceFactory>(provider => provider.GetService!);
        services.AddScoped<IMediator, Mediator>();

        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(AuthorizationBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(PerformanceBehavior<,>));

        services.AddScoped<Auth.SignIn>();
        services.AddScoped<Organizations.MembershipChange>();
        services.AddScoped<Runs.RunQueue>();
        services.AddScoped<AdminJobs.AdminJobActions>();
        services.AddScoped<AdminJobs.Commands.SystemJobActions.SystemJobActions>();
        services.AddScoped<AdminJobs.Commands.AdminScheduleActions.AdminScheduleScope>();
        services.AddScoped<AdminJobs.Commands.AdminScheduleActions.AdminScheduleWork>();
        services.AddScoped<AdminJobs.AdminRunChanges>();
        services.AddScoped<Common.Archiving.ItemArchival>();
        services.TryAddSingleton(Runs.RunSettings.Default);
        services.TryAddSingleton(Domain.Schedules.ScheduleRules.Default);
        services.AddScoped<Schedules.IScheduleTick, Schedules.ScheduleTick>();
        services.AddScoped<Schedules.ScheduleTrigger>();
        services.AddScoped<Common.Jobs.IJobHandler, Runs.RunQueryJobHandler>();
        // Alerts: evaluated after each successful run of their query.
        services.AddScoped<Alerts.AlertEvaluationQueue>();
        services.AddScoped<Alerts.AlertResultReader>();
        services.AddScoped<Alerts.EvaluateAlertsJobHandler>();
        services.AddScoped<Common.Jobs.IJobHandler>(provider => provider.GetRequiredService<Alerts.EvaluateAlertsJobHandler>());
        services.AddScoped<Common.Jobs.IJobHandler, Auth.Commands.ForgotPassword.PasswordResetMailJob>();
        services.AddScoped<Common.Jobs.IJobHandler, Auth.Commands.Login.LoginFailedJob>();
        services.TryAddSingleton(Webhooks.WebhookSettings.Default);
        services.AddSingleton<Webhooks.WebhookDeliveryLimiter>();
        services.AddScoped<Webhooks.WebhookAttempts>();
        services.AddScoped<Webhooks.WebhookDeliverer>();
        services.AddScoped<Common.Jobs.IJobHandler, Webhooks.WebhookFanOutJob>();
        services.AddScoped<Common.Jobs.IJobHandler, Webhooks.WebhookDeliveryJob>();
        services.AddScoped<Auth.IdentityMetrics>();
        services.AddScoped<Common.Events.IDomainEventListener<Domain.Users.UserRegistered>>(provider => provider.GetRequiredService<Auth.IdentityMetrics>());
        services.AddScoped<Common.Events.IDomainEventListener<Domain.Organizations.OrganizationCreated>>(provider => provider.GetRequiredService<Auth.IdentityMetrics>());
        services.AddScoped<Common.Events.IDomainEventListener<Domain.Sessions.RefreshTokenReused>>(provider => provider.GetRequiredService<Auth.IdentityMetrics>());
        return services.AddRequestHandlersFrom(typeof(DependencyInjection).Assembly);
    }

    /// <summary>Registers the handlers and validators of one assembly (the application's own, or a test's).</summary>
    public static IServiceCollection AddRequestHandlersFrom(this IServiceCollection services, Assembly assembly)
    {
        ValidationMessages.Configure();
        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Scoped, includeInternalTypes: true);

        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces()
                         .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)))
            {
                services.AddScoped(contract, type);
            }
        }

        return services;
    }
}
