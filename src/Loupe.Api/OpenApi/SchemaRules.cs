using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Validators;
using Loupe.Application.Alerts;
using Loupe.Application.Alerts.Commands.CreateAlert;
using Loupe.Application.Alerts.Commands.UpdateAlert;
using Loupe.Application.Auth.Commands.ForgotPassword;
using Loupe.Application.Auth.Commands.Register;
using Loupe.Application.Auth.Commands.ResetPassword;
using Loupe.Application.Canvases;
using Loupe.Application.Canvases.Commands.CreateCanvas;
using Loupe.Application.Canvases.Commands.ReplaceCanvasGraph;
using Loupe.Application.Common;
using Loupe.Application.Dashboards;
using Loupe.Application.Dashboards.Commands.CreateDashboard;
using Loupe.Application.Dashboards.Commands.UpdateDashboard;
using Loupe.Application.Dashboards.Queries.GetDashboardView;
using Loupe.Application.Dashboards.Queries.GetPublicDashboard;
using Loupe.Application.DataSources;
using Loupe.Application.DataSources.Commands.CreateDataSource;
using Loupe.Application.DataSources.Commands.UpdateDataSource;
using Loupe.Application.DataSources.Queries.ListDataSourceTypes;
using Loupe.Application.Organizations.Commands.ChangeUserRole;
using Loupe.Application.Organizations.Commands.CreateInvitation;
using Loupe.Application.Profile.Commands.ChangePassword;
using Loupe.Application.Runs;
using Loupe.Application.Runs.Commands.CreateRun;
using Loupe.Application.Runs.Commands.RunSavedQuery;
using Loupe.Application.SavedQueries;
using Loupe.Application.SavedQueries.Commands.CreateSavedQuery;
using Loupe.Application.SavedQueries.Commands.UpdateSavedQuery;
using Loupe.Application.Schedules;
using Loupe.Application.Schedules.Commands.CreateSchedule;
using Loupe.Application.Schedules.Commands.UpdateSchedule;
using Loupe.Application.Visualizations;
using Loupe.Application.Visualizations.Commands.CreateVisualization;
using Loupe.Application.Visualizations.Commands.UpdateVisualization;
using Loupe.Application.Webhooks;
using Loupe.Application.Webhooks.Commands.CreateWebhook;
using Loupe.Application.Webhooks.Commands.UpdateWebhook;
using Loupe.Domain.Alerts;
using Loupe.Domain.Canvases;
using Loupe.Domain.Dashboards;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Runs;
using Loupe.Domain.Users;
using Loupe.Domain.Visualizations;
using Loupe.Domain.Webhooks;
using Loupe.Infrastructure.Connectors.ConnectionStrings;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Loupe.Api.OpenApi;

/// <summary>
/// What the generated schemas do not say by themselves, so that a generated client is typed as the server
/// behaves:
/// <list type="bullet">
/// <item>timestamps (written by a converter, so untyped) are <c>string</c> with <c>format: date-time</c>;</item>
/// <item>a text field that holds one of a closed set of names (a run's status, a data source's type, …) lists them as its <c>enum</c>;</item>
/// <item>a request's limits come from its FluentValidation validator: <c>maxLength</c>/<c>minLength</c>,
/// <c>minimum</c>/<c>maximum</c>, <c>maxItems</c> (a rule on <c>X.Count</c>), and a field whose null the
/// validator refuses (<c>NotEmpty</c>, <c>NotNull</c>, or any rule that fails on null) is required and not
/// nullable. A <c>…Request</c> body is held to its <c>…Command</c>'s validator;</item>
/// <item>a property the serializer can only write (computed, like <c>Pagination</c>'s) is always in the answer, so it is required.</item>
/// </list>
/// </summary>
internal static class SchemaRules
{
    private static readonly ConcurrentDictionary<Type, Validation?> Validations = new();

    /// <summary>The text fields that hold one of a closed set of names, with the set.</summary>
    private static readonly Dictionary<(Type Type, string Property), Func<IEnumerable<string>>> ClosedSets = new()
    {
        [(typeof(RunDto), nameof(RunDto.Status))] = () => Enum.GetValues<RunStatus>().Select(s => s.ToName()),
        [(typeof(SavedQueryDto), nameof(SavedQueryDto.Status))] = () => ItemStatuses.All,
        [(typeof(SavedQuerySummaryDto), nameof(SavedQuerySummaryDto.Status))] = () => ItemStatuses.All,
        [(typeof(DataSourceDto), nameof(DataSourceDto.Type))] = DataSourceTypeNames,
        [(typeof(CreateDataSourceCommand), nameof(CreateDataSourceCommand.Type))] = DataSourceTypeNames,
        [(typeof(ParameterDefinitionDto), nameof(ParameterDefinitionDto.Type))] = () => ParameterTypes.Names,
        [(typeof(ParameterDefinitionInput), nameof(ParameterDefinitionInput.Type))] = () => ParameterTypes.Names,
        [(typeof(DataSourceSettingsDto), nameof(DataSourceSettingsDto.SslMode))] = () => PostgresSslModes.Names,
        [(typeof(DataSourceSettingsInput), nameof(DataSourceSettingsInput.SslMode))] = () => PostgresSslModes.Names,
        [(typeof(DataSourceTypeDto), nameof(DataSourceTypeDto.Type))] = DataSourceTypeNames,
        [(typeof(DataSourceSettingDto), nameof(DataSourceSettingDto.Type))] = () => DataSourceSettingDto.Types,
        [(typeof(VisualizationDto), nameof(VisualizationDto.Type))] = () => VisualizationTypes.Names,
        [(typeof(VisualizationDto), nameof(VisualizationDto.Status))] = () => ItemStatuses.All,
        [(typeof(CreateVisualizationCommand), nameof(CreateVisualizationCommand.Type))] = () => VisualizationTypes.Names,
        [(typeof(UpdateVisualizationRequest), nameof(UpdateVisualizationRequest.Type))] = () => VisualizationTypes.Names,
        [(typeof(CanvasDto), nameof(CanvasDto.Status))] = () => ItemStatuses.All,
        [(typeof(CanvasSummaryDto), nameof(CanvasSummaryDto.Status))] = () => ItemStatuses.All,
        [(typeof(TimePresetDto), nameof(TimePresetDto.Kind))] = () => TimePresetKinds.Names,
        [(typeof(TimePresetInput), nameof(TimePresetInput.Kind))] = () => TimePresetKinds.Names,
        [(typeof(CanvasNodeDto), nameof(CanvasNodeDto.Type))] = () => CanvasNodeTypes.Names,
        [(typeof(CanvasNodeInput), nameof(CanvasNodeInput.Type))] = () => CanvasNodeTypes.Names,
        [(typeof(DashboardDto), nameof(DashboardDto.Status))] = () => ItemStatuses.All,
        [(typeof(DashboardSummaryDto), nameof(DashboardSummaryDto.Status))] = () => ItemStatuses.All,
        [(typeof(DashboardTileDto), nameof(DashboardTileDto.Kind))] = () => DashboardJson.Kinds,
        [(typeof(TileInput), nameof(TileInput.Kind))] = () => DashboardJson.Kinds,
        [(typeof(ParameterMappingDto), nameof(ParameterMappingDto.Source))] = () => DashboardJson.Sources,
        [(typeof(ParameterMappingInput), nameof(ParameterMappingInput.Source))] = () => DashboardJson.Sources,
        [(typeof(DashboardViewDto), nameof(DashboardViewDto.Status))] = () => ItemStatuses.All,
        [(typeof(DashboardTileViewDto), nameof(DashboardTileViewDto.Kind))] = () => [DashboardJson.VisualizationKind, DashboardJson.TextKind],
        [(typeof(TileVisualizationDto), nameof(TileVisualizationDto.Type))] = () => VisualizationTypes.Names,
        [(typeof(PublicVisualizationDto), nameof(PublicVisualizationDto.Type))] = () => VisualizationTypes.Names,
        [(typeof(AlertDto), nameof(AlertDto.State))] = () => AlertNames.States,
        [(typeof(AlertDto), nameof(AlertDto.Status))] = () => ItemStatuses.All,
        [(typeof(AlertConditionDto), nameof(AlertConditionDto.Selector))] = () => AlertNames.Selectors,
        [(typeof(AlertConditionDto), nameof(AlertConditionDto.Op))] = () => AlertNames.Operators,
        [(typeof(AlertConditionInput), nameof(AlertConditionInput.Selector))] = () => AlertNames.Selectors,
        [(typeof(AlertConditionInput), nameof(AlertConditionInput.Op))] = () => AlertNames.Operators,
        [(typeof(WebhookDeliveryDto), nameof(WebhookDeliveryDto.Status))] = () => Enum.GetValues<DeliveryStatus>().Select(DeliveryStatuses.ToName),
        [(typeof(WebhookDeliveryDto), nameof(WebhookDeliveryDto.EventType))] = () => WebhookEvents.All,
        [(typeof(WebhookDto), nameof(WebhookDto.DisabledReason))] = () => [WebhookDisabledReasons.Gone, WebhookDisabledReasons.TooManyFailures],
        [(typeof(ScheduleDto), nameof(ScheduleDto.Status))] = () => ItemStatuses.All,
        [(typeof(ScheduleLastRunDto), nameof(ScheduleLastRunDto.Status))] = () => Enum.GetValues<RunStatus>().Select(s => s.ToName()),
    };

    /// <summary>
    /// Limits a domain rule keeps rather than a validator, written into the document so it tells the
    /// whole truth: a run's timeout is at least <see cref="RunTimeout.MinSeconds"/> (and at most its
    /// data source's, which no document can know; a saved query's 0 means the data source's), and the
    /// lengths and counts the domain's objects refuse beyond.
    /// </summary>
    private static readonly Dictionary<(Type Type, string Property), DomainLimit> DomainLimits = new()
    {
        [(typeof(CreateRunCommand), nameof(CreateRunCommand.TimeoutSeconds))] = new(Minimum: RunTimeout.MinSeconds),
        [(typeof(RunSavedQueryRequest), nameof(RunSavedQueryRequest.TimeoutSeconds))] = new(Minimum: RunTimeout.MinSeconds),
        [(typeof(CreateSavedQueryCommand), nameof(CreateSavedQueryCommand.TimeoutSeconds))] = new(Minimum: 0),
        [(typeof(UpdateSavedQueryRequest), nameof(UpdateSavedQueryRequest.TimeoutSeconds))] = new(Minimum: 0),
        [(typeof(CreateSavedQueryCommand), nameof(CreateSavedQueryCommand.Tags))] = new(MaxItems: QueryTags.MaxTags),
        [(typeof(UpdateSavedQueryRequest), nameof(UpdateSavedQueryRequest.Tags))] = new(MaxItems: QueryTags.MaxTags),
        [(typeof(CreateVisualizationCommand), nameof(CreateVisualizationCommand.Tags))] = new(MaxItems: QueryTags.MaxTags),
        [(typeof(UpdateVisualizationRequest), nameof(UpdateVisualizationRequest.Tags))] = new(MaxItems: QueryTags.MaxTags),
        [(typeof(ParameterDefinitionInput), nameof(ParameterDefinitionInput.Name))] = new(MaxLength: ParameterDefinition.NameMaxLength),
        [(typeof(ParameterDefinitionInput), nameof(ParameterDefinitionInput.Title))] = new(MaxLength: ParameterDefinition.TitleMaxLength),
        [(typeof(ParameterDefinitionInput), nameof(ParameterDefinitionInput.Options))] = new(MaxItems: ParameterDefinition.MaxOptions),
        [(typeof(RegisterCommand), nameof(RegisterCommand.Email))] = new(MaxLength: EmailAddress.MaxLength),
        [(typeof(RegisterCommand), nameof(RegisterCommand.Password))] = new(MaxLength: PasswordPolicy.MaxLength),
        [(typeof(ResetPasswordCommand), nameof(ResetPasswordCommand.Password))] = new(MaxLength: PasswordPolicy.MaxLength),
        [(typeof(ChangePasswordCommand), nameof(ChangePasswordCommand.NewPassword))] = new(MaxLength: PasswordPolicy.MaxLength),
        [(typeof(ForgotPasswordCommand), nameof(ForgotPasswordCommand.Email))] = new(MaxLength: EmailAddress.MaxLength),
        [(typeof(CreateInvitationCommand), nameof(CreateInvitationCommand.Email))] = new(MaxLength: EmailAddress.MaxLength),
        [(typeof(DataSourceSettingsInput), nameof(DataSourceSettingsInput.Host))] = new(MaxLength: ConnectionSettings.HostMaxLength),
        [(typeof(DataSourceSettingsInput), nameof(DataSourceSettingsInput.Database))] = new(MaxLength: ConnectionSettings.IdentifierMaxLength),
        [(typeof(DataSourceSettingsInput), nameof(DataSourceSettingsInput.Username))] = new(MaxLength: ConnectionSettings.IdentifierMaxLength),
        [(typeof(DataSourceSettingsInput), nameof(DataSourceSettingsInput.Password))] = new(MaxLength: ConnectionSettings.PasswordMaxLength),
        [(typeof(DataSourceSettingsInput), nameof(DataSourceSettingsInput.Path))] = new(MaxLength: ConnectionSettings.PathMaxLength),
        [(typeof(CreateDataSourceCommand), nameof(CreateDataSourceCommand.ConnectionString))] = new(MaxLength: PostgresConnectionString.MaxLength),
        [(typeof(UpdateDataSourceRequest), nameof(UpdateDataSourceRequest.ConnectionString))] = new(MaxLength: PostgresConnectionString.MaxLength),
        [(typeof(CreateCanvasCommand), nameof(CreateCanvasCommand.Nodes))] = new(MaxItems: CanvasGraph.MaxNodes),
        [(typeof(CreateCanvasCommand), nameof(CreateCanvasCommand.Edges))] = new(MaxItems: CanvasGraph.MaxEdges),
        [(typeof(ReplaceCanvasGraphRequest), nameof(ReplaceCanvasGraphRequest.Nodes))] = new(MaxItems: CanvasGraph.MaxNodes),
        [(typeof(ReplaceCanvasGraphRequest), nameof(ReplaceCanvasGraphRequest.Edges))] = new(MaxItems: CanvasGraph.MaxEdges),
        [(typeof(CanvasNodeInput), nameof(CanvasNodeInput.Id))] = new(MaxLength: CanvasGraph.IdMaxLength),
        [(typeof(CanvasEdgeInput), nameof(CanvasEdgeInput.Id))] = new(MaxLength: CanvasGraph.IdMaxLength),
        [(typeof(CanvasEdgeInput), nameof(CanvasEdgeInput.Source))] = new(MaxLength: CanvasGraph.IdMaxLength),
        [(typeof(CanvasEdgeInput), nameof(CanvasEdgeInput.Target))] = new(MaxLength: CanvasGraph.IdMaxLength),
        [(typeof(CanvasEdgeInput), nameof(CanvasEdgeInput.Label))] = new(MaxLength: CanvasGraph.LabelMaxLength),
        [(typeof(CreateDashboardCommand), nameof(CreateDashboardCommand.Tags))] = new(MaxItems: QueryTags.MaxTags),
        [(typeof(UpdateDashboardRequest), nameof(UpdateDashboardRequest.Tags))] = new(MaxItems: QueryTags.MaxTags),
        [(typeof(CreateWebhookCommand), nameof(CreateWebhookCommand.Events))] = new(MaxItems: WebhookEvents.All.Count),
        [(typeof(UpdateWebhookRequest), nameof(UpdateWebhookRequest.Events))] = new(MaxItems: WebhookEvents.All.Count),
        [(typeof(CreateAlertCommand), nameof(CreateAlertCommand.WebhookIds))] = new(MaxItems: Alert.MaxWebhooks),
        [(typeof(UpdateAlertRequest), nameof(UpdateAlertRequest.WebhookIds))] = new(MaxItems: Alert.MaxWebhooks),
        [(typeof(AlertConditionInput), nameof(AlertConditionInput.Column))] = new(MaxLength: AlertCondition.ColumnMaxLength),
        [(typeof(CreateScheduleCommand), nameof(CreateScheduleCommand.Tags))] = new(MaxItems: QueryTags.MaxTags),
        [(typeof(UpdateScheduleRequest), nameof(UpdateScheduleRequest.Tags))] = new(MaxItems: QueryTags.MaxTags),
        [(typeof(TileInput), nameof(TileInput.Id))] = new(MaxLength: DashboardGrid.TileIdMaxLength),
        [(typeof(TileInput), nameof(TileInput.Text))] = new(MaxLength: DashboardGrid.TextMaxLength),
        [(typeof(ParameterMappingInput), nameof(ParameterMappingInput.TileId))] = new(MaxLength: DashboardGrid.TileIdMaxLength),
        [(typeof(ParameterMappingInput), nameof(ParameterMappingInput.QueryParameter))] = new(MaxLength: ParameterDefinition.NameMaxLength),
        [(typeof(ParameterMappingInput), nameof(ParameterMappingInput.DashboardParameter))] = new(MaxLength: ParameterDefinition.NameMaxLength),
    };

    private sealed record DomainLimit(int? Minimum = null, int? MaxLength = null, int? MaxItems = null);

    private const string NotNullKey = "loupe:not-null";

    /// <summary>Bodies the API reads for a command of another name (the others are the command, or its <c>…Request</c>).</summary>
    private static readonly Dictionary<Type, Type> BodiesOf = new()
    {
        [typeof(Features.RoleChange)] = typeof(ChangeUserRoleCommand),
    };

    /// <summary>Takes null out of the <c>oneOf</c> of the required properties noted by <see cref="DescribeAsync"/>.</summary>
    public static Task RemoveRefusedNullsAsync(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
        {
            if (schema.Metadata?.TryGetValue(NotNullKey, out var noted) == true && noted is HashSet<string> names)
            {
                foreach (var name in names)
                {
                    if (schema.Properties?.TryGetValue(name, out var value) == true && value is OpenApiSchema property)
                    {
                        NotNull(property);
                    }
                }

                schema.Metadata.Remove(NotNullKey);
            }
        }

        return Task.CompletedTask;
    }

    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(DateTimeOffset?) || type == typeof(DateTime?))
        {
            schema.Type = Nullable.GetUnderlyingType(type) is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
            schema.Pattern = null;
        }

        if (context.JsonPropertyInfo is { } property && Member(property) is { } member)
        {
            if (ClosedSets.TryGetValue((member.DeclaringType!, member.Name), out var names))
            {
                schema.Enum = [.. names().Select(n => (JsonNode)JsonValue.Create(n))];
            }

            ApplyValidatorRules(schema, member, property.Name, context.ApplicationServices);
            if (DomainLimits.TryGetValue((member.DeclaringType!, member.Name), out var limit))
            {
                schema.Minimum = limit.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? schema.Minimum;
                schema.MaxLength = limit.MaxLength ?? schema.MaxLength;
                schema.MaxItems = limit.MaxItems ?? schema.MaxItems;
            }
            if (schema.Enum is { Count: > 0 } values && schema.Type?.HasFlag(JsonSchemaType.Null) == true && !values.Any(v => v is null))
            {
                values.Add(null!);
            }
        }

        // A component schema is transformed where it is first met, which may be as some property's value.
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
        {
            MarkRequired(schema, context.JsonTypeInfo, context.ApplicationServices);
        }

        return Task.CompletedTask;
    }

    private static IEnumerable<string> DataSourceTypeNames() =>
        Enum.GetValues<DataSourceType>().Select(t => JsonNamingPolicy.SnakeCaseLower.ConvertName(t.ToString()));

    private static MemberInfo? Member(JsonPropertyInfo property) => property.AttributeProvider as MemberInfo;

    /// <summary>Required: what the serializer can only write (always in the answer) and what the validator always requires.</summary>
    private static void MarkRequired(OpenApiSchema schema, JsonTypeInfo type, IServiceProvider services)
    {
        var validation = ValidationOf(type.Type, services);
        foreach (var property in type.Properties.Where(p => schema.Properties!.ContainsKey(p.Name)))
        {
            var writtenOnly = property.Set is null && property.AssociatedParameter is null;
            var alwaysRequired = validation is not null && Member(property) is { } member && validation.RefusesNull(member.Name, property.Name);
            if (writtenOnly || alwaysRequired)
            {
                schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
                schema.Required.Add(property.Name);
            }

            // A nullable reference (an enum like Role?) is wrapped in oneOf [null, $ref] only after the transforms:
            // noted here, undone by RemoveRefusedNullsAsync once the document is complete.
            if (alwaysRequired)
            {
                schema.Metadata ??= new Dictionary<string, object>(StringComparer.Ordinal);
                if (!schema.Metadata.TryGetValue(NotNullKey, out var noted) || noted is not HashSet<string> names)
                {
                    schema.Metadata[NotNullKey] = names = new HashSet<string>(StringComparer.Ordinal);
                }

                names.Add(property.Name);
            }
        }
    }

    private static void ApplyValidatorRules(OpenApiSchema schema, MemberInfo member, string wireName, IServiceProvider services)
    {
        if (ValidationOf(member.DeclaringType!, services) is not { } validation)
        {
            return;
        }

        var descriptor = validation.Descriptor;

        var isList = schema.Type?.HasFlag(JsonSchemaType.Array) == true;
        foreach (var (validator, _) in Rules(descriptor, member.Name, wireName))
        {
            var isText = schema.Type?.HasFlag(JsonSchemaType.String) == true && schema.Format is null;
            switch (validator)
            {
                case ILengthValidator length when isText:
                    schema.MaxLength = length.Max > 0 ? length.Max : schema.MaxLength;
                    schema.MinLength = length.Min > 0 ? length.Min : schema.MinLength;
                    break;
                case INotEmptyValidator when isText:
                    schema.MinLength ??= 1;
                    break;
                case IBetweenValidator between when IsNumber(schema):
                    schema.Minimum = Number(between.From);
                    schema.Maximum = Number(between.To);
                    break;

                // RuleFor(c => c.Parameters!.Count).LessThanOrEqualTo(n): the list holds at most n items.
                case IComparisonValidator { Comparison: Comparison.LessThanOrEqual } atMost when isList && Number(atMost.ValueToCompare) is { } most:
                    schema.MaxItems = int.Parse(most, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case IComparisonValidator comparison when IsNumber(schema) && Number(comparison.ValueToCompare) is { } bound:
                    Compare(schema, comparison.Comparison, bound);
                    break;
            }

        }

        if (validation.RefusesNull(member.Name, wireName))
        {
            NotNull(schema);
        }
    }

    /// <summary>The rules on a member: by its name, on its <c>Count</c>, or under its wire name (<c>OverridePropertyName</c>).</summary>
    private static IEnumerable<(IPropertyValidator Validator, IRuleComponent Options)> Rules(IValidatorDescriptor descriptor, string member, string wireName) =>
        new[] { member, member + ".Count", wireName }.Distinct(StringComparer.Ordinal).SelectMany(descriptor.GetValidatorsForMember);

    private static void NotNull(OpenApiSchema schema)
    {
        if (schema.Type is { } type)
        {
            schema.Type = type & ~JsonSchemaType.Null;
        }

        schema.OneOf = schema.OneOf?.Where(s => s is not OpenApiSchema { Type: JsonSchemaType.Null }).ToList();
        schema.AnyOf = schema.AnyOf?.Where(s => s is not OpenApiSchema { Type: JsonSchemaType.Null }).ToList();
    }

    private static bool IsNumber(OpenApiSchema schema) =>
        schema.Type?.HasFlag(JsonSchemaType.Integer) == true || schema.Type?.HasFlag(JsonSchemaType.Number) == true;

    private static void Compare(OpenApiSchema schema, Comparison comparison, string bound)
    {
        switch (comparison)
        {
            case Comparison.GreaterThanOrEqual:
                schema.Minimum = bound;
                break;
            case Comparison.GreaterThan:
                schema.ExclusiveMinimum = bound;
                break;
            case Comparison.LessThanOrEqual:
                schema.Maximum = bound;
                break;
            case Comparison.LessThan:
                schema.ExclusiveMaximum = bound;
                break;
        }
    }

    private static string? Number(object? value) => value switch
    {
        int or long or short or byte or decimal or double or float => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The validator of <paramref name="type"/>, or for a <c>…Request</c> body of its <c>…Command</c>.</summary>
    private static Validation? ValidationOf(Type type, IServiceProvider services) => Validations.GetOrAdd(type, t =>
    {
        var validated = BodiesOf.GetValueOrDefault(t, t);
        if (t.Name.EndsWith("Request", StringComparison.Ordinal)
            && t.Assembly.GetType($"{t.Namespace}.{t.Name[..^"Request".Length]}Command") is { } command)
        {
            validated = command;
        }

        using var scope = services.CreateScope();
        return scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(validated)) is IValidator validator
            ? new Validation(validator.CreateDescriptor(), NullsRefused(validator, validated))
            : null;
    });

    /// <summary>
    /// The members whose null the validator refuses, found by validating an instance with every field unset:
    /// a rule like <c>Must(EmailAddress.TryParse)</c> requires a value as surely as <c>NotEmpty</c>. Only
    /// members that can hold null count; a validator that cannot be run so gives none (its
    /// unconditional <c>NotEmpty</c>/<c>NotNull</c> rules still count).
    /// </summary>
    private static HashSet<string> NullsRefused(IValidator validator, Type validated)
    {
        var nullable = validated.GetProperties()
            .Where(p => !p.PropertyType.IsValueType || Nullable.GetUnderlyingType(p.PropertyType) is not null)
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);
        try
        {
            var empty = System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(validated);
            var context = (FluentValidation.IValidationContext)Activator.CreateInstance(typeof(ValidationContext<>).MakeGenericType(validated), empty)!;
            return validator.Validate(context).Errors.Select(e => e.PropertyName).Where(nullable.Contains).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is AsyncValidatorInvokedSynchronouslyException or NullReferenceException or ArgumentException or InvalidOperationException)
        {
            return [];
        }
    }

    private sealed record Validation(IValidatorDescriptor Descriptor, IReadOnlySet<string> NullRefused)
    {
        /// <summary>Whether a value is always required: null is refused, or an unconditional NotEmpty/NotNull rule says so.</summary>
        public bool RefusesNull(string member, string wireName) =>
            NullRefused.Contains(member) || NullRefused.Contains(wireName)
            || Rules(Descriptor, member, wireName).Any(v => v.Validator is INotEmptyValidator or INotNullValidator && !v.Options.HasCondition && !v.Options.HasAsyncCondition);
    }
}
