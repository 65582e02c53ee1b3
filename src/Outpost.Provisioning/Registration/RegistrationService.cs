using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Pki.Issuance;
using Outpost.Pki.Policies;
using Outpost.Provisioning.Enrollments;
using Outpost.Provisioning.Instances;

namespace Outpost.Provisioning.Registration;

/// <summary>
/// Registers a device: attests it against the enrollments, issues a certificate from the enrollment's credential
/// policy when the device sent a CSR, assigns a hub, and writes the hub's device identity, the Device Registry
/// device, the registration state and the finished operation in one commit. Transports (HTTPS, MQTT) only translate.
/// </summary>
internal sealed class RegistrationService(IOutpostStore store, Attestation attestation, PolicyCertificateService certificates, CustomAllocationWebhook webhook,
    TimeProvider time)
{
    public async Task<StoredOperation> RegisterAsync(ProvisioningInstance instance, string registrationId, DeviceCredential credential, JsonObject body,
        CancellationToken cancellationToken)
    {
        if (EnrollmentDocument.IdProblem(registrationId, EnrollmentKind.Individual) is { } problem)
        {
            throw new OutpostException(ErrorCode.InvalidParameter, problem, "registrationId");
        }

        if (body["registrationId"]?.GetValue<string>() is { } named && !string.Equals(named, registrationId, StringComparison.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.InvalidParameter, $"The body's registrationId '{named}' differs from the registration id '{registrationId}' of the request.", "registrationId");
        }

        if (credential is DeviceCredential.Token token)
        {
            RequireToken(token, instance, registrationId);
        }

        var device = await attestation.AttestAsync(instance, registrationId, credential, cancellationToken);
        var enrollmentName = device.Enrollment[device.Kind.IdProperty]!.GetValue<string>();
        if (device.Enrollment["provisioningStatus"]?.GetValue<string>() == "disabled")
        {
            throw new OutpostException(ErrorCode.AuthorizationFailed, $"The {device.Kind.Noun} '{enrollmentName}' is disabled; enable it to register devices through it.");
        }

        var stateId = StateId(instance, registrationId);
        var previous = await store.GetResourceAsync(stateId, cancellationToken);
        var previousState = previous is null ? null : JsonNode.Parse(previous.Body)!.AsObject();
        var currentHub = previousState?["assignedHub"]?.GetValue<string>();
        var payload = body["payload"];
        string hubHost;
        if (HubAllocation.IsCustom(device.Enrollment, instance))
        {
            var allocation = await webhook.AllocateAsync(device, registrationId, payload, HubAllocation.Candidates(device.Enrollment, instance), currentHub, cancellationToken);
            hubHost = allocation.Hub;
            payload = allocation.Payload ?? payload;
            if (allocation.InitialTwin is JsonObject initialTwin)
            {
                // The webhook's initialTwin replaces the enrollment's for this device, as in DPS.
                device = device with { Enrollment = WithInitialTwin(device.Enrollment, initialTwin) };
            }
        }
        else
        {
            hubHost = HubAllocation.Choose(device.Enrollment, instance, registrationId, currentHub);
        }

        var hubId = await GlobalNameIds.OwnerAsync(store, GlobalNameIds.HostNames, hubHost, cancellationToken)
            ?? throw new OutpostException(ErrorCode.Conflict, $"The linked hub '{hubHost}' no longer exists; update the provisioning service's linked hubs.");

        var changes = new StoreChangeSet();
        var issued = await IssueAsync(body, device, instance, registrationId, changes, cancellationToken);
        var now = time.GetUtcNow();
        var previousHubId = currentHub is null || string.Equals(currentHub, hubHost, StringComparison.OrdinalIgnoreCase)
            ? null
            : await GlobalNameIds.OwnerAsync(store, GlobalNameIds.HostNames, currentHub, cancellationToken);
        await DeviceIdentities.PutHubDeviceAsync(changes, store, hubId, previousHubId, device, issued, now, cancellationToken);
        if (issued is not null)
        {
            await DeviceIdentities.PutRegistryDeviceAsync(changes, store, instance, device, now, cancellationToken);
        }

        var state = RegistrationState(registrationId, device, enrollmentName, hubHost, payload, previousState, now);
        changes.PutResource(new StoredResource(stateId, "Microsoft.Devices/provisioningServices/registrations", instance.SubscriptionId, instance.ResourceGroup, instance.Id,
            state.ToJsonString()), previous?.Version ?? 0);
        var result = state.DeepClone().AsObject();
        if (issued is not null)
        {
            // The chain travels only in the operation result, never in the registration state a status lookup returns.
            result["issuedCertificateChain"] = new JsonArray([.. issued.ChainDer.Select(der => (JsonNode)Convert.ToBase64String(der))]);
        }

        var operation = new StoredOperation($"5.{Guid.NewGuid():N}", stateId, "assigned", now, now, null, result.ToJsonString());
        changes.PutOperation(operation);
        await store.CommitAsync(changes, cancellationToken);
        return operation;
    }

    /// <summary>
    /// The answer to a status poll: the operation with the registration state it produced, for the device that started
    /// it. <paramref name="credential"/> is checked again unless the transport already holds it proven (null).
    /// </summary>
    public async Task<JsonObject> GetOperationAsync(ProvisioningInstance instance, string registrationId, DeviceCredential? credential, string operationId,
        CancellationToken cancellationToken)
    {
        if (credential is not null)
        {
            await AuthenticateAsync(instance, registrationId, credential, cancellationToken);
        }

        var operation = await store.GetOperationAsync(operationId, cancellationToken);
        if (operation is null || !string.Equals(operation.ResourceId, StateId(instance, registrationId), StringComparison.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.ResourceNotFound, $"Registration '{registrationId}' has no operation '{operationId}'.");
        }

        return new JsonObject { ["operationId"] = operation.Id, ["status"] = operation.Status, ["registrationState"] = JsonNode.Parse(operation.ResultJson ?? "{}") };
    }

    /// <summary>The registration state as last assigned, for a status lookup; it never carries an issued certificate chain.</summary>
    public async Task<JsonNode> GetStateAsync(ProvisioningInstance instance, string registrationId, DeviceCredential credential, CancellationToken cancellationToken)
    {
        await AuthenticateAsync(instance, registrationId, credential, cancellationToken);
        var state = await store.GetResourceAsync(StateId(instance, registrationId), cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"Registration '{registrationId}' has not registered yet.");
        return JsonNode.Parse(state.Body)!;
    }

    private static string StateId(ProvisioningInstance instance, string registrationId) => $"{instance.Id}/registrations/{registrationId.ToLowerInvariant()}";

    /// <summary>Checks a device's credential again for a status poll or lookup: the same token rules and the same enrollment match.</summary>
    public async Task<AttestedDevice> AuthenticateAsync(ProvisioningInstance instance, string registrationId, DeviceCredential credential, CancellationToken cancellationToken)
    {
        if (credential is DeviceCredential.Token token)
        {
            RequireToken(token, instance, registrationId);
        }

        return await attestation.AttestAsync(instance, registrationId, credential, cancellationToken);
    }

    /// <summary>The device's SAS must be for <c>{idScope}/registrations/{registrationId}</c> and unexpired.</summary>
    private void RequireToken(DeviceCredential.Token token, ProvisioningInstance instance, string registrationId)
    {
        if (!token.Signature.Covers($"{instance.IdScope}/registrations/{registrationId}"))
        {
            throw new OutpostException(ErrorCode.AuthenticationFailed,
                $"The SAS token is for '{token.Signature.Resource}', but this registration needs one for '{instance.IdScope}/registrations/{registrationId}'.");
        }

        if (token.Signature.IsExpired(time.GetUtcNow()))
        {
            throw new OutpostException(ErrorCode.AuthenticationFailed, $"The SAS token expired at {DateTimeOffset.FromUnixTimeSeconds(token.Signature.Expiry):O}; make a new one.");
        }
    }

    private async Task<IssuedCertificate?> IssueAsync(JsonObject body, AttestedDevice device, ProvisioningInstance instance, string registrationId,
        StoreChangeSet changes, CancellationToken cancellationToken)
    {
        var csr = body["csr"]?.GetValue<string>();
        if (string.IsNullOrEmpty(csr))
        {
            return null;
        }

        var policyName = device.Enrollment["credentialPolicyName"]?.GetValue<string>()
            ?? throw new OutpostException(ErrorCode.InvalidParameter,
                $"The device sent a CSR, but its {device.Kind.Noun} has no credentialPolicyName to issue a certificate from. Set one, or register without a CSR.", "csr");
        var policyId = $"{instance.NamespaceId}/credentials/default/policies/{policyName}";
        byte[] der;
        try
        {
            der = Convert.FromBase64String(csr);
        }
        catch (FormatException)
        {
            throw new OutpostException(ErrorCode.CsrRejected, "'csr' is not valid base64; send the base64 of the DER PKCS#10 request, without PEM lines.", "csr");
        }

        try
        {
            // The audit record lands in the same commit as the registration, which happens before the chain is answered.
            return await certificates.IssueFromPolicyAsync(policyId, der, registrationId, $"dps:{instance.Name}", changes, cancellationToken);
        }
        catch (OutpostException exception) when (exception.Code == ErrorCode.ResourceNotFound)
        {
            throw new OutpostException(ErrorCode.InvalidParameter, $"The credential policy '{policyName}' of the {device.Kind.Noun} no longer exists.", "credentialPolicyName");
        }
    }

    private static JsonObject RegistrationState(string registrationId, AttestedDevice device, string enrollmentName, string hubHost, JsonNode? payload,
        JsonObject? previous, DateTimeOffset now)
    {
        var moved = previous?["assignedHub"]?.GetValue<string>() is { } before && !string.Equals(before, hubHost, StringComparison.OrdinalIgnoreCase);
        var migrate = device.Enrollment["reprovisionPolicy"]?["migrateDeviceData"]?.GetValue<bool>() != false;
        var state = new JsonObject
        {
            ["registrationId"] = registrationId,
            ["createdDateTimeUtc"] = previous?["createdDateTimeUtc"]?.DeepClone() ?? Timestamp(now),
            ["assignedHub"] = hubHost,
            ["deviceId"] = device.DeviceId,
            ["status"] = "assigned",
            ["substatus"] = previous is null ? "initialAssignment" : moved && !migrate ? "deviceDataReset" : moved ? "deviceDataMigrated" : "initialAssignment",
            ["lastUpdatedDateTimeUtc"] = Timestamp(now),
            ["etag"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)),
        };
        if (payload is not null)
        {
            state["payload"] = payload.DeepClone();
        }

        var attestationType = device.Enrollment["attestation"]?["type"]?.GetValue<string>();
        var detail = new JsonObject();
        if (device.Kind == EnrollmentKind.Group)
        {
            detail["enrollmentGroupId"] = enrollmentName;
        }

        state[attestationType == "x509" ? "x509" : "symmetricKey"] = detail;
        return state;
    }

    private static JsonObject WithInitialTwin(JsonObject enrollment, JsonObject initialTwin)
    {
        var copy = enrollment.DeepClone().AsObject();
        copy["initialTwin"] = initialTwin.DeepClone();
        return copy;
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
