using Microsoft.OpenApi;

namespace ExamReview.ServiceDefaults.OpenApi;

/// <summary>How a service introduces itself in its OpenAPI document.</summary>
public sealed record ServiceDescription(string Title, string Description);

/// <summary>
/// The title and description of each service's document, and what each tag groups. Chinese first: the documents are
/// read by provincial integrators and the reviewer console's developers.
/// </summary>
public static class ServiceDescriptions
{
    private const string Common =
        "\n\n除健康检查、OpenAPI 文档和公开照片工具外，所有接口都需要 Bearer JWT（`Authorization: Bearer <token>`），" +
        "令牌携带 `role`（candidate、site-reviewer、area-reviewer、operator、province、service）及范围声明（`candidate_id`、`site`、`area`）。" +
        "所有错误都是 RFC 9457 问题响应（`application/problem+json`），带稳定的 `code`；标题和说明默认中文，`Accept-Language: en` 时为英文。";

    private static readonly Dictionary<string, ServiceDescription> Services = new(StringComparer.Ordinal)
    {
        ["Registration"] = new("报名服务（Registration）",
            "考生网上报名：考试年度、考区与考点参考数据；报名信息与决定适用材料的个人情况；联系方式变更；考生可见的报名状态" +
            "（填报 → 考点通过 → 审核通过 / 审核拒绝 / 退回修改）；交给材料服务的一次性授权；报名照片；可打印文书及其二维码核验；" +
            "工作人员更正（留痕）与审核员查看身份信息（记录日志）。" + Common),
        ["MaterialStorage"] = new("材料服务（MaterialStorage）",
            "考生的材料申请：按考试年度和考区的材料目录（运营人员维护）；考区设置（提交方式、图片大小上限）；材料清单与待处理的审核意见；" +
            "图片上传、替换、删除及每张图片的锁定状态（已锁定 / 已通过 / 可修改）；提交审核；示例图片；用报名服务的授权换取会话。" + Common),
        ["ImageValidation"] = new("图像校验服务（ImageValidation）",
            "每张上传图片的自动检查（通过消息，不在本接口中）；公开的报名照片工具（无需登录，按地址限流），合格时返回带通过标记的 JPEG，" +
            "否则返回 422 及检查结果；把手机照片规范化为不超过 200 KB 的端正 JPEG。" + Common),
        ["ReviewWorkflow"] = new("审核服务（ReviewWorkflow）",
            "两级资格审核（考点审核，然后考区复审）：按考点/考区范围的审核队列（筛选、键集分页）；带租约的认领；逐张图片的决定" +
            "（通过 ✓ / 要求重传并给出原因代码）；一次性退回；考点通过、审核通过、审核拒绝；批量通过；只追加的审核时间线；运营指标。" + Common),
        ["Notification"] = new("通知服务（Notification）",
            "短信与站内消息，每个事件恰好一条：按考区和事件的短信模板与签名（运营人员维护）；短信发送记录、失败重试与运营状态；" +
            "考生的消息中心。" + Common),
    };

    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal)
    {
        ["Registrations"] = "报名：报名信息、个人情况、联系方式、照片、文书、更正、身份查看与参考数据。",
        ["Materials"] = "材料申请：材料清单、图片上传/替换/删除、提交审核。",
        ["Catalogs"] = "材料目录与考区设置（运营人员），以及公开的示例图片。",
        ["Sessions"] = "用报名服务签发的一次性授权换取材料服务会话。",
        ["Accounts"] = "考生账户：设置密码激活、证件号码加密码并短信验证码登录、重置密码、退出所有会话、账户日志。",
        ["Publication"] = "审核结果发布：考点/考区本轮审核结束后统一向考生发布结果（运营人员）。",
        ["Photo tool"] = "报名照片工具与手机照片规范化。",
        ["Reviews"] = "审核案件：队列、认领、逐图决定、通过/退回/拒绝、时间线、指标。",
        ["Notifications"] = "短信发送记录与失败重试（运营人员）。",
        ["Message centre"] = "考生的站内消息中心。",
        ["SMS templates"] = "短信模板与各考区的短信签名（运营人员）。",
        ["Webhooks"] = "省级系统的事件推送：登记接收地址、订阅事件类型、签名密钥与轮换、投递记录与重新投递。",
        ["Operations"] = "运维状态：发件箱积压、短信队列与服务商熔断状态（运营人员）。",
        ["Provincial"] = "省级系统对接：本省报名、材料申请与审核结果的增量同步（游标分页），推送报名信息更正与考区级审核决定（幂等键、ETag）。",
        ["Development"] = "开发用令牌签发（仅在 Auth:DevTokens:Enabled=true 时存在）。",
        ["SMS provider stub"] = "本地短信服务商模拟（仅开发运行）：已收到的短信与模拟行为。",
    };

    public static ServiceDescription For(string serviceName) =>
        Services.TryGetValue(serviceName, out var description)
            ? description
            : throw new InvalidOperationException($"No OpenAPI description for service '{serviceName}': add it to {nameof(ServiceDescriptions)}.");

    public static ServiceDescription Host(string hostName) => new(
        $"考试审核平台（{hostName}，全部服务）",
        "一个进程中的全部服务（嵌入式运行）。客户端请从各服务自己的文档生成：/openapi/registration.json、/openapi/materialstorage.json、" +
        "/openapi/imagevalidation.json、/openapi/reviewworkflow.json、/openapi/notification.json。" + Common);

    public static string? TagDescription(string tag) => Tags.GetValueOrDefault(tag);
}

/// <summary>The document-level facts: info, licence, a relative server, described tags.</summary>
internal static class DocumentInfo
{
    public static void Apply(OpenApiDocument document, ServiceDescription service)
    {
        document.Info = new OpenApiInfo
        {
            Title = service.Title,
            Description = service.Description,
            Version = "v1",
            License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://examreview.nmec.org.cn/terms") },
            Contact = new OpenApiContact { Name = "ExamReview", Url = new Uri("https://examreview.nmec.org.cn/") },
        };
        // The generator would name the address this copy was fetched from (a loopback port, a container name): "/" makes
        // the paths relative to wherever the document is served, the same document for every deployment.
        document.Servers = [new OpenApiServer { Url = "/", Description = "提供本文档的服务（相对地址）" }];
        if (document.Tags is { } tags)
        {
            foreach (var tag in tags)
            {
                tag.Description ??= tag.Name is { } name ? ServiceDescriptions.TagDescription(name) : null;
            }
        }
    }
}
