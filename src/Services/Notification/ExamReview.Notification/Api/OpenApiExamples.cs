using ExamReview.Notification.Api;
using ExamReview.Notification.Webhooks;
using ExamReview.ServiceDefaults.OpenApi;

// Examples of the provincial webhook API (登记接收地址 → 投递记录 → 重新投递) in Notification's OpenAPI document.
[assembly: OpenApiExample(typeof(CreateWebhookEndpointRequest), """
    {"url":"https://sync.hunan-exam.example.cn/webhooks/examreview","eventTypes":["application.status_changed","application.returned"],"description":"湖南考区审核结果同步"}
    """)]
[assembly: OpenApiExample(typeof(UpdateWebhookEndpointRequest), """{"url":null,"eventTypes":null,"description":null,"enabled":false}""")]
[assembly: OpenApiExample(typeof(RotateWebhookSecretRequest), """{"overlapMinutes":1440}""")]
[assembly: OpenApiExample(typeof(ReplayWebhookDeliveriesRequest), """{"since":"2027-01-15T00:00:00+00:00"}""")]
[assembly: OpenApiExample(typeof(WebhookSecretView), """{"id":"01944d2e-7a10-7c3e-9a51-2f7d7f1e4c21","createdAt":"2027-01-15T08:00:00+00:00","expiresAt":null}""")]
[assembly: OpenApiExample(typeof(WebhookEndpointView), """
    {"id":"01944d2e-7a10-7c3e-8b2f-0e4c5d6a7b80","areaCode":"43","url":"https://sync.hunan-exam.example.cn/webhooks/examreview",
     "description":"湖南考区审核结果同步","eventTypes":["application.returned","application.status_changed"],"enabled":true,
     "createdAt":"2027-01-15T08:00:00+00:00","updatedAt":"2027-01-15T08:00:00+00:00",
     "secrets":[{"id":"01944d2e-7a10-7c3e-9a51-2f7d7f1e4c21","createdAt":"2027-01-15T08:00:00+00:00","expiresAt":null}]}
    """)]
[assembly: OpenApiExample(typeof(WebhookEndpointCreated), """
    {"endpoint":{"id":"01944d2e-7a10-7c3e-8b2f-0e4c5d6a7b80","areaCode":"43","url":"https://sync.hunan-exam.example.cn/webhooks/examreview",
     "description":"湖南考区审核结果同步","eventTypes":["application.returned","application.status_changed"],"enabled":true,
     "createdAt":"2027-01-15T08:00:00+00:00","updatedAt":"2027-01-15T08:00:00+00:00",
     "secrets":[{"id":"01944d2e-7a10-7c3e-9a51-2f7d7f1e4c21","createdAt":"2027-01-15T08:00:00+00:00","expiresAt":null}]},
     "secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw6h5VpeSmeC0="}
    """)]
[assembly: OpenApiExample(typeof(WebhookSecretIssued), """
    {"secretId":"01944e10-1b2c-7d3e-8f40-5a6b7c8d9e01","secret":"whsec_3q2+7wXvQ1vWcJ0nq8kZ7Jm0s5f1m9Rk2u4d6y8A0bE=","previousSecretsExpireAt":"2027-01-16T08:00:00+00:00"}
    """)]
[assembly: OpenApiExample(typeof(WebhookEventTypeView), """{"type":"application.returned","description":"材料被退回修改（含审核意见与处理期限）"}""")]
[assembly: OpenApiExample(typeof(WebhookDeliveryView), """
    {"id":"01944d31-0c1d-7e2f-a3b4-c5d6e7f80912","webhookId":"msg_01944d310c1d7e2fa3b4c5d6e7f80912","endpointId":"01944d2e-7a10-7c3e-8b2f-0e4c5d6a7b80",
     "eventType":"application.returned","candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11","sequence":2,"status":"Pending","attempts":3,"replays":0,
     "createdAt":"2027-01-15T08:10:00+00:00","lastAttemptAt":"2027-01-15T08:10:35+00:00","lastStatusCode":503,"lastError":"the receiver answered 503",
     "nextAttemptAt":"2027-01-15T08:11:45+00:00","deliveredAt":null,"failedAt":null}
    """)]
[assembly: OpenApiExample(typeof(WebhookAttemptView), """{"number":1,"startedAt":"2027-01-15T08:10:00+00:00","durationMs":84,"statusCode":503,"error":"the receiver answered 503"}""")]
[assembly: OpenApiExample(typeof(WebhookDeliveryDetail), """
    {"delivery":{"id":"01944d31-0c1d-7e2f-a3b4-c5d6e7f80912","webhookId":"msg_01944d310c1d7e2fa3b4c5d6e7f80912","endpointId":"01944d2e-7a10-7c3e-8b2f-0e4c5d6a7b80",
     "eventType":"application.approved","candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11","sequence":3,"status":"Delivered","attempts":2,"replays":0,
     "createdAt":"2027-01-15T08:10:00+00:00","lastAttemptAt":"2027-01-15T08:10:10+00:00","lastStatusCode":204,"lastError":null,
     "nextAttemptAt":null,"deliveredAt":"2027-01-15T08:10:10+00:00","failedAt":null},
     "payload":"{\"type\":\"application.approved\",\"timestamp\":\"2027-01-15T08:10:00+00:00\",\"data\":{\"caseId\":\"3f2b8c1e-2d4a-4b7e-8f10-5a6b7c8d9e01\",\"applicationId\":\"6e1d2c3b-4a5f-4e6d-9c8b-7a6f5e4d3c02\",\"eventId\":\"msg_01944d310c1d7e2fa3b4c5d6e7f80912\",\"candidateId\":\"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11\",\"areaCode\":\"43\",\"sequence\":3}}",
     "attemptLog":[{"number":1,"startedAt":"2027-01-15T08:10:00+00:00","durationMs":10002,"statusCode":null,"error":"no answer within 10 s"},
                   {"number":2,"startedAt":"2027-01-15T08:10:10+00:00","durationMs":35,"statusCode":204,"error":null}]}
    """)]
[assembly: OpenApiExample(typeof(WebhookReplayResult), """{"replayed":4}""")]
[assembly: OpenApiStringEnum(typeof(WebhookDeliveryView), nameof(WebhookDeliveryView.Status), typeof(WebhookDeliveryStatus))]
[assembly: OpenApiStringEnum(typeof(WebhookDeliveryView), nameof(WebhookDeliveryView.EventType),
    WebhookEventTypes.StatusChanged, WebhookEventTypes.Returned, WebhookEventTypes.Approved, WebhookEventTypes.Rejected, WebhookEventTypes.RegistrationCorrected)]
