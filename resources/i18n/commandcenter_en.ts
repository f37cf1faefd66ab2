<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../ui/about_dialog.py" line="57"/>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="58"/>
        <source>街道城市管理指挥中心</source>
        <translation>Urban Management Command Center</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="60"/>
        <source>版本 {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="61"/>
        <source>安装包</source>
        <translation>installed bundle</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="61"/>
        <source>源代码</source>
        <translation>source</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="68"/>
        <source>构建：</source>
        <translation>Build:</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="71"/>
        <source>系统：</source>
        <translation>System:</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="72"/>
        <source>配置文件：</source>
        <translation>Config file:</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="73"/>
        <source>日志文件夹：</source>
        <translation>Log folder:</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="84"/>
        <source>本程序使用 Qt（PySide6），依 GNU LGPL v3 授权；第三方组件和地图数据的许可见“第三方声明”。</source>
        <translation>This program uses Qt (PySide6) under the GNU LGPL v3; the licences of the other third-party components and of the map data are under “Third-party notices”.</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="95"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="96"/>
        <source>第三方声明</source>
        <translation>Third-party notices</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="98"/>
        <source>复制版本信息(&amp;C)</source>
        <translation>&amp;Copy version information</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="102"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="113"/>
        <source>已复制</source>
        <translation>Copied</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="118"/>
        <source>关于…</source>
        <translation>About…</translation>
    </message>
</context>
<context>
    <name>AlertBanner</name>
    <message>
        <location filename="../../ui/alerts.py" line="70"/>
        <source>查看 (Ctrl+G)</source>
        <translation>Show (Ctrl+G)</translation>
    </message>
    <message>
        <location filename="../../ui/alerts.py" line="72"/>
        <source>确认 (Ctrl+Enter)</source>
        <translation>Acknowledge (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/alerts.py" line="110"/>
        <source>🔇 已静音 (Ctrl+M)</source>
        <translation>🔇 Muted (Ctrl+M)</translation>
    </message>
    <message>
        <location filename="../../ui/alerts.py" line="110"/>
        <source>静音 (Ctrl+M)</source>
        <translation>Mute (Ctrl+M)</translation>
    </message>
    <message>
        <location filename="../../ui/alerts.py" line="116"/>
        <source>无新警报</source>
        <translation>No new alerts</translation>
    </message>
    <message>
        <location filename="../../ui/alerts.py" line="116"/>
        <source>（声音已静音）</source>
        <translation>(sound muted)</translation>
    </message>
    <message>
        <location filename="../../ui/alerts.py" line="125"/>
        <source>共 {n} 条未确认</source>
        <translation>{n} unacknowledged</translation>
    </message>
</context>
<context>
    <name>ApproximateCaption</name>
    <message>
        <location filename="../../ui/map/overlays.py" line="198"/>
        <source>街道范围为示意</source>
        <translation>Subdistrict boundaries are approximate</translation>
    </message>
</context>
<context>
    <name>Bridge</name>
    <message>
        <location filename="../../ui/bridge.py" line="85"/>
        <source>内部错误：{error}</source>
        <translation>Internal error: {error}</translation>
    </message>
</context>
<context>
    <name>CaseActionSet</name>
    <message>
        <location filename="../../ui/case_actions.py" line="30"/>
        <source>立案</source>
        <translation>Register</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="31"/>
        <source>将上报信号登记为案件</source>
        <translation>Register the reported signal as a case</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="32"/>
        <source>派遣</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="33"/>
        <source>选择处置人员并下发任务</source>
        <translation>Choose an officer and send the task</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="34"/>
        <source>登记到场</source>
        <translation>Mark on scene</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="35"/>
        <source>代处置人员登记已到场（电话报告时）</source>
        <translation>Record the officer&apos;s arrival on scene (when reported by phone)</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="36"/>
        <source>登记处置完毕</source>
        <translation>Mark resolved</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="37"/>
        <source>代处置人员登记处置完毕</source>
        <translation>Record that the officer has resolved the case</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="38"/>
        <source>核查</source>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="39"/>
        <source>开始核查处置结果</source>
        <translation>Start verifying the result</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="40"/>
        <source>结案</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="41"/>
        <source>核查通过，结案</source>
        <translation>Verification passed: close the case</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="42"/>
        <source>返工</source>
        <translation>Rework</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="43"/>
        <source>核查不通过，退回重新处置（值班长）</source>
        <translation>Verification failed: send back for rework (supervisor)</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="44"/>
        <source>回退改派</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="45"/>
        <source>收回任务，重新派遣（值班长）</source>
        <translation>Recall the task and dispatch again (supervisor)</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="46"/>
        <source>挂账</source>
        <translation>Suspend</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="47"/>
        <source>暂停计时（值班长）</source>
        <translation>Stop the clock (supervisor)</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="48"/>
        <source>恢复</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="49"/>
        <source>恢复计时（值班长）</source>
        <translation>Restart the clock (supervisor)</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="50"/>
        <source>延期</source>
        <translation>Extend</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="51"/>
        <source>延长剩余时限（值班长批准）</source>
        <translation>Extend the remaining deadlines (supervisor approves)</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="52"/>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../../ui/case_actions.py" line="53"/>
        <source>作废/注销，须填写原因</source>
        <translation>Void or withdraw the case; a reason is required</translation>
    </message>
</context>
<context>
    <name>CaseLayer</name>
    <message numerus="yes">
        <location filename="../../ui/map/cases.py" line="216"/>
        <source>另有 %n 起案件</source>
        <translation>
            <numerusform>%n more case</numerusform>
            <numerusform>%n more cases</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CasePanel</name>
    <message>
        <location filename="../../ui/case_panel.py" line="36"/>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="37"/>
        <source>类别：</source>
        <translation>Category:</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="38"/>
        <source>优先级：</source>
        <translation>Priority:</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="39"/>
        <source>地址：</source>
        <translation>Address:</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="40"/>
        <source>街道：</source>
        <translation>Subdistrict:</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="41"/>
        <source>处置人：</source>
        <translation>Officer:</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="42"/>
        <source>上报时间：</source>
        <translation>Reported:</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="43"/>
        <source>时限：</source>
        <translation>Deadlines:</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="59"/>
        <location filename="../../ui/case_panel.py" line="172"/>
        <source>未选择案件</source>
        <translation>No case selected</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="62"/>
        <location filename="../../ui/case_panel.py" line="173"/>
        <source>在左侧队列或地图上选择一个案件</source>
        <translation>Select a case in the queue on the left or on the map</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="109"/>
        <source>信号</source>
        <translation>Signals</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="110"/>
        <source>处理记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="139"/>
        <source>{km:.1f} 公里</source>
        <translation>{km:.1f} km</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="140"/>
        <source>位置未知</source>
        <translation>position unknown</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="145"/>
        <source>推荐处置人员（F3 派遣）</source>
        <translation>Recommended officers (F3 to dispatch)</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="157"/>
        <source>⚠ {note}。按 F7 合并到该案件。</source>
        <translation>⚠ {note}. Press F7 to merge into that case.</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="161"/>
        <source>已{reason}</source>
        <translation>Merged: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="187"/>
        <source>{name}（{code}）</source>
        <translation>{name} ({code})</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="191"/>
        <source>辖区外</source>
        <translation>Outside the district</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="192"/>
        <source>未派遣</source>
        <translation>Not dispatched</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="195"/>
        <source>&lt;i&gt;加载中…&lt;/i&gt;</source>
        <translation>&lt;i&gt;Loading...&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="226"/>
        <source>✓ {name} {time}（超时）</source>
        <translation>✓ {name} {time} (late)</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="227"/>
        <source>✓ {name} {time}</source>
        <translation>✓ {name} {time}</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="230"/>
        <source>• {name} 限 {time}</source>
        <translation>• {name} due {time}</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="239"/>
        <source>图片{n}</source>
        <translation>Photo {n}</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="242"/>
        <source>拆分为新案件</source>
        <translation>Split into a new case</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="245"/>
        <source>上报人：{name}</source>
        <translation>Reporter: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="252"/>
        <source>&lt;i&gt;无信号&lt;/i&gt;</source>
        <translation>&lt;i&gt;No signals&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/case_panel.py" line="261"/>
        <source>{who}：{note}</source>
        <translation>{who}: {note}</translation>
    </message>
</context>
<context>
    <name>CaseQueueModel</name>
    <message>
        <location filename="../../ui/queue/model.py" line="75"/>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../ui/queue/model.py" line="76"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/queue/model.py" line="77"/>
        <source>时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../ui/queue/model.py" line="78"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/queue/model.py" line="79"/>
        <source>事项</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../ui/queue/model.py" line="80"/>
        <source>街道</source>
        <translation>Subdistrict</translation>
    </message>
    <message>
        <location filename="../../ui/queue/model.py" line="81"/>
        <source>处置人</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../../ui/queue/model.py" line="82"/>
        <source>上报时间</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../ui/queue/model.py" line="290"/>
        <source>{state}·督办</source>
        <translation>{state} · escalated</translation>
    </message>
    <message>
        <location filename="../../ui/queue/model.py" line="292"/>
        <source>{state}·疑似重复</source>
        <translation>{state} · duplicate?</translation>
    </message>
    <message>
        <location filename="../../ui/queue/model.py" line="298"/>
        <source>已暂停</source>
        <translation>Clock stopped</translation>
    </message>
</context>
<context>
    <name>CaseQueueView</name>
    <message>
        <location filename="../../ui/queue/view.py" line="62"/>
        <source>搜索编号、事项、地址、街道、处置人（Ctrl+F）</source>
        <translation>Search number, subject, address, subdistrict, officer (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/queue/view.py" line="65"/>
        <source>显示已结案/作废</source>
        <translation>Show closed/void</translation>
    </message>
</context>
<context>
    <name>CleaningForm</name>
    <message>
        <location filename="../../ui/sites/cleaning_form.py" line="40"/>
        <source>登记清洗 — {name}</source>
        <translation>Record cleaning — {name}</translation>
    </message>
    <message>
        <location filename="../../ui/sites/cleaning_form.py" line="48"/>
        <source>清洗单位或人员，如：绿源清洗公司</source>
        <translation>Company or person, e.g. Lüyuan Cleaning Co.</translation>
    </message>
    <message>
        <location filename="../../ui/sites/cleaning_form.py" line="55"/>
        <source>可选，如：更换滤网</source>
        <translation>Optional, e.g. filter replaced</translation>
    </message>
    <message>
        <location filename="../../ui/sites/cleaning_form.py" line="58"/>
        <source>站点：</source>
        <translation>Site:</translation>
    </message>
    <message>
        <location filename="../../ui/sites/cleaning_form.py" line="59"/>
        <source>清洗日期(&amp;D)：</source>
        <translation>Cleaning &amp;date:</translation>
    </message>
    <message>
        <location filename="../../ui/sites/cleaning_form.py" line="60"/>
        <source>清洗单位(&amp;B)：</source>
        <translation>Cleaned &amp;by:</translation>
    </message>
    <message>
        <location filename="../../ui/sites/cleaning_form.py" line="61"/>
        <source>下次到期(&amp;N)：</source>
        <translation>&amp;Next due:</translation>
    </message>
    <message>
        <location filename="../../ui/sites/cleaning_form.py" line="62"/>
        <source>备注(&amp;M)：</source>
        <translation>Re&amp;marks:</translation>
    </message>
    <message>
        <location filename="../../ui/sites/cleaning_form.py" line="67"/>
        <source>登记</source>
        <translation>Record</translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <location filename="../../ui/app.py" line="188"/>
        <source>演示模式：内置模拟器</source>
        <translation>Demo mode: built-in simulator</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="190"/>
        <source>正在准备演示数据…</source>
        <translation>Preparing demo data...</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="195"/>
        <source>未配置消息服务器</source>
        <translation>No message broker configured</translation>
    </message>
</context>
<context>
    <name>ConsoleStatusBar</name>
    <message>
        <location filename="../../ui/status_bar.py" line="35"/>
        <source>今年喊话劝离 {n} 起</source>
        <translation>Persuaded by loudspeaker this year: {n}</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="36"/>
        <source>{name}：{n} 起</source>
        <translation>{name}: {n}</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="49"/>
        <source>消息服务器 {where} 已连接</source>
        <translation>Broker {where} connected</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="53"/>
        <source>消息服务器已断开（自 {since}）</source>
        <translation>Broker disconnected (since {since})</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="55"/>
        <source>，{n} 条指令待发送</source>
        <translation>, {n} order(s) waiting to be sent</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="61"/>
        <source>数据库 {name}</source>
        <translation>Database {name}</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="70"/>
        <source>，积压 {n}</source>
        <translation>, backlog {n}</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="72"/>
        <source>接入 {rate:.1f} 条/秒</source>
        <translation>Ingest {rate:.1f} msg/s</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="75"/>
        <source>隔离 {n}</source>
        <translation>Quarantined {n}</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="78"/>
        <source>写入失败，重试中：{error}</source>
        <translation>write failed, retrying: {error}</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../ui/crash.py" line="94"/>
        <source>程序内部错误</source>
        <translation>Internal error</translation>
    </message>
    <message>
        <location filename="../../ui/crash.py" line="95"/>
        <source>程序遇到了一个内部错误，详情已写入日志。程序可以继续使用；如果问题反复出现，请把下面的报告复制给 IT。</source>
        <translation>The program ran into an internal error; the details are in the log. You can keep working; if it happens again, copy the report below and send it to IT.</translation>
    </message>
    <message>
        <location filename="../../ui/crash.py" line="102"/>
        <source>复制报告(&amp;C)</source>
        <translation>&amp;Copy report</translation>
    </message>
    <message>
        <location filename="../../ui/crash.py" line="104"/>
        <source>打开日志文件夹(&amp;L)</source>
        <translation>Open &amp;log folder</translation>
    </message>
    <message>
        <location filename="../../ui/crash.py" line="108"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/crash.py" line="125"/>
        <source>程序内部错误（{count} 个）</source>
        <translation>Internal errors ({count})</translation>
    </message>
    <message>
        <location filename="../../ui/crash.py" line="132"/>
        <source>已复制</source>
        <translation>Copied</translation>
    </message>
    <message>
        <location filename="../../ui/crash.py" line="223"/>
        <source>打开日志文件夹</source>
        <translation>Open log folder</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <location filename="../../ui/dialogs/dispatch.py" line="30"/>
        <source>派遣 {number}</source>
        <translation>Dispatch {number}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/dispatch.py" line="37"/>
        <source>联动部门</source>
        <translation>partner department</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/dispatch.py" line="39"/>
        <source>夜间值班</source>
        <translation>night duty</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/dispatch.py" line="41"/>
        <source>{km:.1f} 公里</source>
        <translation>{km:.1f} km</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/dispatch.py" line="42"/>
        <source>位置未知</source>
        <translation>position unknown</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/dispatch.py" line="43"/>
        <source>{name}&#x3000;{squad}&#x3000;{status}&#x3000;{distance}</source>
        <translation>{name}&#x3000;{squad}&#x3000;{status}&#x3000;{distance}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/dispatch.py" line="55"/>
        <source>附言（可选），例如：注意北门出入车辆</source>
        <translation>Note (optional), e.g. watch for vehicles at the north gate</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/dispatch.py" line="58"/>
        <source>派遣</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/dispatch.py" line="66"/>
        <source>处置人员（空闲优先，按距离排序；联动部门与夜间值班在后）：</source>
        <translation>Officers (available first, nearest first; partner departments and night duty last):</translation>
    </message>
</context>
<context>
    <name>ExtendDialog</name>
    <message>
        <location filename="../../ui/dialogs/extend.py" line="16"/>
        <source>交通管制，需绕行</source>
        <translation>Road closed, detour needed</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/extend.py" line="17"/>
        <source>现场情况复杂，需联合处置</source>
        <translation>Complex scene, needs a joint response</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/extend.py" line="18"/>
        <source>等待当事人到场</source>
        <translation>Waiting for the party concerned to arrive</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/extend.py" line="19"/>
        <source>天气原因</source>
        <translation>Weather</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/extend.py" line="31"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/extend.py" line="38"/>
        <source>选择或输入原因</source>
        <translation>Choose or type a reason</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/extend.py" line="48"/>
        <source>延长：</source>
        <translation>Extend by:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/extend.py" line="49"/>
        <source>原因：</source>
        <translation>Reason:</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../../ui/i18n.py" line="42"/>
        <source>zh</source>
        <comment>Language code of this translation: the catalog shows its names in it</comment>
        <translation>en</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="88"/>
        <source>街道城市管理指挥中心 — 崇川区</source>
        <translation>Urban Management Command Center — Chongchuan District</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="89"/>
        <source>（演示）</source>
        <translation> (demo)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="170"/>
        <source>案件(&amp;C)</source>
        <translation>&amp;Case</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="171"/>
        <source>案件操作</source>
        <translation>Case actions</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="181"/>
        <source>合并到疑似重复案件</source>
        <translation>Merge into suspected duplicate</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="186"/>
        <source>远程喊话…</source>
        <translation>Loudspeaker...</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="189"/>
        <source>警报(&amp;A)</source>
        <translation>&amp;Alerts</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="190"/>
        <source>查看最新警报</source>
        <translation>Show the latest alert</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="192"/>
        <source>确认全部警报</source>
        <translation>Acknowledge all alerts</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="194"/>
        <source>静音/取消静音</source>
        <translation>Mute/unmute</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="196"/>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="197"/>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="199"/>
        <source>转到队列</source>
        <translation>Go to the queue</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="201"/>
        <source>地图显示全部案件</source>
        <translation>Map: show all cases</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="203"/>
        <source>地图显示全区</source>
        <translation>Map: show the whole district</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="205"/>
        <source>显示/隐藏已结案</source>
        <translation>Show/hide closed cases</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="207"/>
        <source>值班长(&amp;S)</source>
        <translation>&amp;Supervisor</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="209"/>
        <source>待审批申请…</source>
        <translation>Pending requests...</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="211"/>
        <source>油烟监测站点…</source>
        <translation>Oil-fume monitoring sites...</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="213"/>
        <source>隔离消息…</source>
        <translation>Quarantine...</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="215"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="216"/>
        <location filename="../../ui/main_window.py" line="250"/>
        <source>快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="246"/>
        <source>在队列中移动</source>
        <translation>Move through the queue</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="247"/>
        <source>在对话框中确认</source>
        <translation>Confirm in a dialog</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="289"/>
        <source>请先选择有位置的案件</source>
        <translation>Select a case with a location first</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="380"/>
        <source>紧急：{title}（{street}）</source>
        <translation>Urgent: {title} ({street})</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="386"/>
        <source>督办：{number} {step}超时 — {title}</source>
        <translation>Escalated: {number} {step} overdue — {title}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="409"/>
        <source>待审批申请 ({n})…</source>
        <translation>Pending requests ({n})...</translation>
    </message>
    <message>
        <location filename="../../ui/close_guard.py" line="23"/>
        <source>指令尚未发出</source>
        <translation>Orders not sent yet</translation>
    </message>
    <message>
        <location filename="../../ui/close_guard.py" line="24"/>
        <source>消息服务器断开中，{n} 条派遣指令或喊话请求尚未发出。现在退出，它们将不会再发出。</source>
        <translation>The message broker is disconnected: {n} dispatch order(s) or loudspeaker request(s) have not been sent. If you quit now, they will never be sent.</translation>
    </message>
    <message>
        <location filename="../../ui/close_guard.py" line="26"/>
        <source>仍然退出</source>
        <translation>Quit anyway</translation>
    </message>
    <message>
        <location filename="../../ui/close_guard.py" line="28"/>
        <source>不退出</source>
        <translation>Stay</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="162"/>
        <source>油烟站点刷新失败：{error}</source>
        <translation>Could not refresh the oil-fume sites: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="513"/>
        <source>{action} {number}</source>
        <translation>{action} {number}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="521"/>
        <source>延长该案件所有未完成步骤的时限：</source>
        <translation>Extend the deadlines of all the case&apos;s open steps:</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="526"/>
        <source>请填写“{action}”的原因：</source>
        <translation>Reason for &quot;{action}&quot;:</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="539"/>
        <source>已提交值班长审批：{action} {number}</source>
        <translation>Sent to the supervisor for approval: {action} {number}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="559"/>
        <source>内部错误：{error}</source>
        <translation>Internal error: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="576"/>
        <source>无法执行</source>
        <translation>Cannot carry out the action</translation>
    </message>
</context>
<context>
    <name>MapLegend</name>
    <message>
        <location filename="../../ui/map/overlays.py" line="85"/>
        <source>正常</source>
        <translation>On time</translation>
    </message>
    <message>
        <location filename="../../ui/map/overlays.py" line="86"/>
        <source>即将超时</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <location filename="../../ui/map/overlays.py" line="87"/>
        <source>已超时</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/map/overlays.py" line="88"/>
        <source>未计时</source>
        <translation>No timer</translation>
    </message>
    <message>
        <location filename="../../ui/map/overlays.py" line="89"/>
        <source>人员（可派）</source>
        <translation>Officer (available)</translation>
    </message>
    <message>
        <location filename="../../ui/map/overlays.py" line="90"/>
        <source>人员（忙碌）</source>
        <translation>Officer (busy)</translation>
    </message>
    <message>
        <location filename="../../ui/map/overlays.py" line="94"/>
        <source>油烟站点（超标）</source>
        <translation>Oil-fume site (alarm)</translation>
    </message>
    <message>
        <location filename="../../ui/map/overlays.py" line="95"/>
        <source>油烟站点（待确认）</source>
        <translation>Oil-fume site (pending)</translation>
    </message>
    <message>
        <location filename="../../ui/map/overlays.py" line="96"/>
        <source>油烟站点（正常）</source>
        <translation>Oil-fume site (normal)</translation>
    </message>
    <message>
        <location filename="../../ui/map/overlays.py" line="97"/>
        <source>油烟站点（离线）</source>
        <translation>Oil-fume site (offline)</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../ui/map/units.py" line="92"/>
        <source>%1（可派）</source>
        <translation>%1 (available)</translation>
    </message>
    <message>
        <location filename="../../ui/map/units.py" line="94"/>
        <source>%1（忙碌）</source>
        <translation>%1 (busy)</translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <location filename="../../ui/names.py" line="22"/>
        <source>待立案</source>
        <translation>To register</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="23"/>
        <source>待派遣</source>
        <translation>To dispatch</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="24"/>
        <source>待接单</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="25"/>
        <source>处置中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="26"/>
        <source>待核查</source>
        <translation>To verify</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="27"/>
        <source>核查中</source>
        <translation>Verifying</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="28"/>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="29"/>
        <source>已作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="30"/>
        <location filename="../../ui/names.py" line="47"/>
        <source>挂账</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="36"/>
        <source>上报</source>
        <translation>Report</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="37"/>
        <source>立案</source>
        <translation>Register</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="38"/>
        <source>派遣</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="39"/>
        <source>接单</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="40"/>
        <source>拒单</source>
        <translation>Decline</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="41"/>
        <source>到场</source>
        <translation>On scene</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="42"/>
        <source>处置完毕</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="43"/>
        <source>核查</source>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="44"/>
        <source>结案</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="45"/>
        <source>返工</source>
        <translation>Rework</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="46"/>
        <source>回退</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="48"/>
        <source>恢复</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="49"/>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="50"/>
        <source>合并</source>
        <translation>Merge</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="51"/>
        <source>并入信号</source>
        <translation>Signal merged in</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="52"/>
        <source>拆分</source>
        <translation>Split</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="53"/>
        <source>延期</source>
        <translation>Extend</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="54"/>
        <source>督办</source>
        <translation>Escalate</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="55"/>
        <source>驳回申请</source>
        <translation>Refuse request</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="56"/>
        <source>申请延期</source>
        <translation>Request extension</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="57"/>
        <source>申请挂账</source>
        <translation>Request suspension</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="58"/>
        <source>申请恢复</source>
        <translation>Request resumption</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="59"/>
        <source>申请回退</source>
        <translation>Request recall</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="60"/>
        <source>申请返工</source>
        <translation>Request rework</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="61"/>
        <source>申请作废</source>
        <translation>Request voiding</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="62"/>
        <source>远程喊话</source>
        <translation>Loudspeaker</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="63"/>
        <source>喇叭确认</source>
        <translation>Loudspeaker acknowledged</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="64"/>
        <source>劝离结果</source>
        <translation>Persuasion outcome</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="68"/>
        <source>空闲</source>
        <translation>Available</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="69"/>
        <source>已派单</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="70"/>
        <source>在途</source>
        <translation>En route</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="71"/>
        <source>在现场</source>
        <translation>On scene</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="72"/>
        <source>下班</source>
        <translation>Off duty</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="76"/>
        <source>紧急</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="77"/>
        <source>较急</source>
        <translation>High</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="78"/>
        <source>一般</source>
        <translation>Routine</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="82"/>
        <source>超过大小限制</source>
        <translation>Too large</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="83"/>
        <source>编码错误</source>
        <translation>Bad encoding</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="84"/>
        <source>非JSON格式</source>
        <translation>Not JSON</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="85"/>
        <source>未知主题</source>
        <translation>Unknown topic</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="86"/>
        <source>缺少字段</source>
        <translation>Missing field</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="87"/>
        <source>坐标无效</source>
        <translation>Invalid coordinates</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="88"/>
        <source>字段无效</source>
        <translation>Invalid field</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="89"/>
        <source>未登记的处置人员</source>
        <translation>Unregistered officer</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="90"/>
        <source>案件不存在</source>
        <translation>No such case</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="91"/>
        <source>非本人案件</source>
        <translation>Case not assigned to sender</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="92"/>
        <source>操作被拒绝</source>
        <translation>Action refused</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="93"/>
        <source>内部错误</source>
        <translation>Internal error</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="94"/>
        <source>非XML格式</source>
        <translation>Not XML</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="95"/>
        <source>不安全的XML</source>
        <translation>Unsafe XML</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="96"/>
        <source>未登记的设备</source>
        <translation>Unregistered device</translation>
    </message>
    <message>
        <location filename="../../ui/names.py" line="97"/>
        <source>未知的喊话请求</source>
        <translation>Unknown loudspeaker request</translation>
    </message>
</context>
<context>
    <name>QuarantineDialog</name>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="64"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="65"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="66"/>
        <source>原因类别</source>
        <translation>Reason type</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="67"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="138"/>
        <source>隔离消息</source>
        <translation>Quarantine</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="144"/>
        <source>原因类别(&amp;R)：</source>
        <translation>&amp;Reason type:</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="148"/>
        <source>刷新 (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="182"/>
        <source>选择一条消息查看原始内容</source>
        <translation>Select a message to see its raw content</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="195"/>
        <source>复制</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="196"/>
        <source>复制原始内容预览到剪贴板</source>
        <translation>Copy the raw content preview to the clipboard</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="198"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="225"/>
        <source>正在加载…</source>
        <translation>Loading...</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="233"/>
        <source>加载失败：{error}</source>
        <translation>Loading failed: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="240"/>
        <source>全部（{n}）</source>
        <translation>All ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="242"/>
        <source>{label}（{n}）</source>
        <translation>{label} ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="245"/>
        <source>{label}（0）</source>
        <translation>{label} (0)</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="257"/>
        <source>显示 {shown} 条，共 {total} 条（最新在前）</source>
        <translation>Showing {shown} of {total} (newest first)</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="269"/>
        <source>没有选中的消息</source>
        <translation>No message selected</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="270"/>
        <source>没有隔离消息</source>
        <translation>No quarantined messages</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="276"/>
        <source>&lt;b&gt;{label}&lt;/b&gt;：{reason}</source>
        <translation>&lt;b&gt;{label}&lt;/b&gt;: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/quarantine_dialog.py" line="278"/>
        <source>来源 {source}&#x3000;·&#x3000;接收于 {time}&#x3000;·&#x3000;{size} 字节</source>
        <translation>Source {source}  ·  received {time}  ·  {size} bytes</translation>
    </message>
</context>
<context>
    <name>ReadingsChart</name>
    <message>
        <location filename="../../ui/sites/chart.py" line="120"/>
        <source>浓度（mg/m³）</source>
        <translation>Concentration (mg/m³)</translation>
    </message>
    <message>
        <location filename="../../ui/sites/chart.py" line="126"/>
        <source>油烟</source>
        <translation>Oil fume</translation>
    </message>
    <message>
        <location filename="../../ui/sites/chart.py" line="128"/>
        <source>颗粒物</source>
        <translation>Particulates</translation>
    </message>
    <message>
        <location filename="../../ui/sites/chart.py" line="130"/>
        <source>非甲烷总烃</source>
        <translation>NMHC</translation>
    </message>
    <message>
        <location filename="../../ui/sites/chart.py" line="159"/>
        <source>选择站点查看近 {hours:g} 小时监测曲线</source>
        <translation>Select a site to see its readings over the last {hours:g} hours</translation>
    </message>
    <message>
        <location filename="../../ui/sites/chart.py" line="204"/>
        <source>限值 {limit:.1f} mg/m³</source>
        <translation>Limit {limit:.1f} mg/m³</translation>
    </message>
    <message>
        <location filename="../../ui/sites/chart.py" line="207"/>
        <source>近 {hours:g} 小时没有监测数据</source>
        <translation>No readings in the last {hours:g} hours</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../ui/dialogs/reason.py" line="16"/>
        <source>重复上报</source>
        <translation>Duplicate report</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reason.py" line="17"/>
        <source>不属于城管职责</source>
        <translation>Not an urban-management matter</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reason.py" line="18"/>
        <source>摄像头误报</source>
        <translation>Camera false alarm</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reason.py" line="19"/>
        <source>信息无效，无法核实</source>
        <translation>Invalid information, cannot be verified</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reason.py" line="20"/>
        <source>等待相关部门确认</source>
        <translation>Awaiting confirmation from the department concerned</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reason.py" line="21"/>
        <source>需要产权单位配合</source>
        <translation>Needs the property owner&apos;s cooperation</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reason.py" line="22"/>
        <source>天气原因暂缓处置</source>
        <translation>Deferred because of the weather</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reason.py" line="23"/>
        <source>处置人员无法到场</source>
        <translation>Officer cannot reach the scene</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reason.py" line="24"/>
        <source>需要改派其他中队</source>
        <translation>Needs another squad</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reason.py" line="25"/>
        <source>现场仍未整改</source>
        <translation>Not yet put right on site</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reason.py" line="26"/>
        <source>处置照片不清晰</source>
        <translation>Resolution photos unclear</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reason.py" line="40"/>
        <source>选择或输入原因</source>
        <translation>Choose or type a reason</translation>
    </message>
</context>
<context>
    <name>RequestsDialog</name>
    <message>
        <location filename="../../ui/requests_dialog.py" line="38"/>
        <source>待审批申请</source>
        <translation>Pending requests</translation>
    </message>
    <message>
        <location filename="../../ui/requests_dialog.py" line="45"/>
        <source>审批意见（可选）</source>
        <translation>Comment (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/requests_dialog.py" line="47"/>
        <source>批准 (Ctrl+Y)</source>
        <translation>Approve (Ctrl+Y)</translation>
    </message>
    <message>
        <location filename="../../ui/requests_dialog.py" line="48"/>
        <source>驳回 (Ctrl+N)</source>
        <translation>Refuse (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../ui/requests_dialog.py" line="67"/>
        <source>正在加载…</source>
        <translation>Loading...</translation>
    </message>
    <message>
        <location filename="../../ui/requests_dialog.py" line="76"/>
        <source>（{n} 分钟）</source>
        <translation> ({n} min)</translation>
    </message>
    <message>
        <location filename="../../ui/requests_dialog.py" line="77"/>
        <source>{who}：{reason}</source>
        <translation>{who}: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/requests_dialog.py" line="85"/>
        <source>{n} 条待审批</source>
        <translation>{n} awaiting approval</translation>
    </message>
    <message>
        <location filename="../../ui/requests_dialog.py" line="86"/>
        <source>没有待审批的申请</source>
        <translation>No requests awaiting approval</translation>
    </message>
    <message>
        <location filename="../../ui/requests_dialog.py" line="95"/>
        <source>正在处理…</source>
        <translation>Processing...</translation>
    </message>
</context>
<context>
    <name>ScaleBar</name>
    <message>
        <location filename="../../ui/map/overlays.py" line="161"/>
        <source>%1 公里</source>
        <translation>%1 km</translation>
    </message>
    <message>
        <location filename="../../ui/map/overlays.py" line="162"/>
        <source>%1 米</source>
        <translation>%1 m</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.py" line="469"/>
        <source>设置已保存，重新启动程序后生效</source>
        <translation>Settings saved; they take effect when the program restarts</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="73"/>
        <source>中文</source>
        <translation>中文 (Chinese)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="27"/>
        <source>只填主机名或 IP 地址，不要带 mqtt://</source>
        <translation>Enter only the host name or IP address, without mqtt://</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="34"/>
        <source>主机名无效：只能有字母、数字、点和连字符</source>
        <translation>Invalid host name: only letters, digits, dots and hyphens</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="42"/>
        <source>端口应为 1–65535 之间的整数</source>
        <translation>The port must be a whole number from 1 to 65535</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="51"/>
        <source>这是一个文件夹，请选择文件</source>
        <translation>This is a folder; choose a file</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="53"/>
        <source>文件不存在</source>
        <translation>The file does not exist</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="60"/>
        <source>请填写数据库文件的路径</source>
        <translation>Enter the path of the database file</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="63"/>
        <source>请填写完整路径，例如 D:/指挥中心/commandcenter.db</source>
        <translation>Enter the full path, e.g. D:/CommandCenter/commandcenter.db</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="66"/>
        <source>这是一个文件夹，请填写文件名</source>
        <translation>This is a folder; enter a file name</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="76"/>
        <source>请填写 PostgreSQL 地址，例如 postgresql://cc@10.0.0.6/cc</source>
        <translation>Enter the PostgreSQL address, e.g. postgresql://cc@10.0.0.6/cc</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="80"/>
        <source>地址格式无效，应为 postgresql://用户名@主机:端口/数据库名</source>
        <translation>Invalid address; the form is postgresql://user@host:port/database</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="82"/>
        <source>应以 postgresql:// 开头</source>
        <translation>Must start with postgresql://</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="84"/>
        <source>地址中缺少主机</source>
        <translation>The address has no host</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="86"/>
        <source>地址中缺少数据库名</source>
        <translation>The address has no database name</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="93"/>
        <source>请填写工作站名称</source>
        <translation>Enter the workstation name</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="95"/>
        <source>工作站名称不能包含空格或 / + #</source>
        <translation>The workstation name cannot contain spaces or / + #</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="97"/>
        <source>工作站名称最多 40 个字符</source>
        <translation>The workstation name can have at most 40 characters</translation>
    </message>
    <message>
        <location filename="../../ui/settings_validation.py" line="103"/>
        <source>请填写值班员姓名</source>
        <translation>Enter the operator&apos;s name</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="85"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="99"/>
        <source>例如 10.0.0.5；留空表示不连接消息服务器</source>
        <translation>e.g. 10.0.0.5; leave empty for no broker</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="102"/>
        <source>使用 TLS 加密（mqtts://）</source>
        <translation>Use TLS encryption (mqtts://)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="109"/>
        <source>测试连接(&amp;B)</source>
        <translation>Test &amp;broker connection</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="115"/>
        <source>消息服务器（MQTT）</source>
        <translation>Message broker (MQTT)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="118"/>
        <source>主机(&amp;H)：</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="119"/>
        <source>端口(&amp;P)：</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="121"/>
        <source>CA 证书：</source>
        <translation>CA certificate:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="122"/>
        <source>选择 CA 证书</source>
        <translation>Choose the CA certificate</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="123"/>
        <source>客户端证书：</source>
        <translation>Client certificate:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="124"/>
        <source>选择客户端证书</source>
        <translation>Choose the client certificate</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="125"/>
        <source>客户端私钥：</source>
        <translation>Client key:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="126"/>
        <source>选择客户端私钥</source>
        <translation>Choose the client key</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="127"/>
        <source>用户名(&amp;U)：</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="128"/>
        <source>密码(&amp;W)：</source>
        <translation>Pass&amp;word:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="131"/>
        <source>内置 SQLite 数据库（单机）(&amp;S)</source>
        <translation>Embedded &amp;SQLite database (one workstation)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="132"/>
        <source>PostgreSQL（多工作站共用）(&amp;G)</source>
        <translation>Post&amp;greSQL (shared by several workstations)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="141"/>
        <source>测试连接(&amp;D)</source>
        <translation>Test &amp;database connection</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="152"/>
        <source>数据库</source>
        <translation>Database</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="155"/>
        <source>文件：</source>
        <translation>File:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="156"/>
        <source>选择数据库文件</source>
        <translation>Choose the database file</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="158"/>
        <source>地址：</source>
        <translation>Address:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="159"/>
        <source>密码：</source>
        <translation>Password:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="167"/>
        <source>本工作站</source>
        <translation>This workstation</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="169"/>
        <source>工作站名称(&amp;N)：</source>
        <translation>Workstation &amp;name:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="170"/>
        <source>值班员(&amp;O)：</source>
        <translation>&amp;Operator:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="171"/>
        <source>界面语言(&amp;L)：</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="187"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="188"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="228"/>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="237"/>
        <source>证书和密钥 (*.pem *.crt *.cer *.key);;所有文件 (*)</source>
        <translation>Certificates and keys (*.pem *.crt *.cer *.key);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="240"/>
        <source>SQLite 数据库 (*.db *.sqlite);;所有文件 (*)</source>
        <translation>SQLite databases (*.db *.sqlite);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="290"/>
        <source>密码保存在系统凭据存储中（{store}），配置文件里不含密码。</source>
        <translation>Passwords are kept in the system credential store ({store}), not in the config file.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="294"/>
        <source>此电脑没有系统凭据存储，密码将保存在配置文件中</source>
        <translation>This computer has no system credential store: passwords will be kept in the config file</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="298"/>
        <source>注意：环境变量 {names} 优先于这里保存的设置。</source>
        <translation>Note: the environment variables {names} take precedence over the settings saved here.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="301"/>
        <source>配置文件：{path}</source>
        <translation>Config file: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="373"/>
        <source>填写了用户名、密码或证书时必须填写主机</source>
        <translation>A host is needed when a user name, password or certificate is given</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="382"/>
        <source>填写密码时必须填写用户名</source>
        <translation>A password needs a user name</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="396"/>
        <source>填写密码时地址中必须有用户名（postgresql://用户名@主机/数据库）</source>
        <translation>A password needs a user name in the address (postgresql://user@host/database)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="412"/>
        <source>选择了私钥时也要选择客户端证书</source>
        <translation>A client key needs a client certificate</translation>
    </message>
    <message>
        <location filename="../../ui/settings_probe.py" line="42"/>
        <source>正在测试…</source>
        <translation>Testing…</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="456"/>
        <source>设置…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="464"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="491"/>
        <source>首次启动：设置</source>
        <translation>First start: settings</translation>
    </message>
</context>
<context>
    <name>SiteLayer</name>
    <message numerus="yes">
        <location filename="../../ui/map/sites.py" line="103"/>
        <source>另有 %n 个站点</source>
        <translation>
            <numerusform>%n more site</numerusform>
            <numerusform>%n more sites</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/map/sites.py" line="142"/>
        <source>{name} 离线（无数据）</source>
        <translation>{name}: offline (no data)</translation>
    </message>
    <message>
        <location filename="../../ui/map/sites.py" line="144"/>
        <source>{name} 油烟 暂无数据</source>
        <translation>{name}: no oil-fume data yet</translation>
    </message>
    <message>
        <location filename="../../ui/map/sites.py" line="147"/>
        <source>{name} 离线·超标未恢复（最后 {value} mg/m³）</source>
        <translation>{name}: offline, in alarm (last {value} mg/m³)</translation>
    </message>
    <message>
        <location filename="../../ui/map/sites.py" line="151"/>
        <source>{name} 离线（最后 {value} mg/m³）</source>
        <translation>{name}: offline (last {value} mg/m³)</translation>
    </message>
    <message>
        <location filename="../../ui/map/sites.py" line="153"/>
        <source>{name} 油烟 {value} mg/m³ 超标恢复中</source>
        <translation>{name}: oil fume {value} mg/m³, clearing</translation>
    </message>
    <message>
        <location filename="../../ui/map/sites.py" line="155"/>
        <source>{name} 油烟 {value} mg/m³ 超标</source>
        <translation>{name}: oil fume {value} mg/m³, alarm</translation>
    </message>
    <message>
        <location filename="../../ui/map/sites.py" line="157"/>
        <source>{name} 油烟 {value} mg/m³ 超标待确认</source>
        <translation>{name}: oil fume {value} mg/m³, pending alarm</translation>
    </message>
    <message>
        <location filename="../../ui/map/sites.py" line="159"/>
        <source>{name} 油烟 {value} mg/m³ 正常</source>
        <translation>{name}: oil fume {value} mg/m³, normal</translation>
    </message>
</context>
<context>
    <name>SiteListModel</name>
    <message>
        <location filename="../../ui/sites/model.py" line="54"/>
        <source>站点</source>
        <translation>Site</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="55"/>
        <source>街道</source>
        <translation>Subdistrict</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="56"/>
        <source>油烟</source>
        <translation>Oil fume</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="57"/>
        <source>限值</source>
        <translation>Limit</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="58"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="59"/>
        <source>超标次数</source>
        <translation>Exceedances</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="60"/>
        <source>峰值</source>
        <translation>Peak</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="61"/>
        <source>最后数据</source>
        <translation>Last reading</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="62"/>
        <source>清洗</source>
        <translation>Cleaning</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="63"/>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="66"/>
        <source>最近一次油烟浓度（mg/m³）</source>
        <translation>Latest oil-fume concentration (mg/m³)</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="67"/>
        <source>本站排放限值（mg/m³）</source>
        <translation>This site&apos;s emission limit (mg/m³)</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="68"/>
        <source>本次报警期间超标读数的次数</source>
        <translation>Readings over the limit during this alarm</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="69"/>
        <source>本次超标的最高浓度（mg/m³）</source>
        <translation>Highest concentration in this exceedance (mg/m³)</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="207"/>
        <source>超标报警</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="208"/>
        <source>离线·超标未恢复</source>
        <translation>Offline, in alarm</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="209"/>
        <source>超标待确认</source>
        <translation>Pending alarm</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="210"/>
        <source>恢复中</source>
        <translation>Clearing</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="211"/>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="212"/>
        <source>正常</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="217"/>
        <source>已清洗 {date}</source>
        <translation>Cleaned {date}</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="219"/>
        <source>一周内到期</source>
        <translation>Due within a week</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="220"/>
        <source>已逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="221"/>
        <source>无记录</source>
        <translation>No record</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="240"/>
        <source>无数据</source>
        <translation>No data</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="288"/>
        <source>{name}
监测点 MN {mn}
{address}</source>
        <translation>{name}
Monitoring point MN {mn}
{address}</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="291"/>
        <source>{raised} 起报警</source>
        <translation>In alarm since {raised}</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="294"/>
        <source>{since} 起超标，未到报警所需的持续时间</source>
        <translation>Over the limit since {since}, not yet long enough to raise an alarm</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="299"/>
        <source>没有净化器清洗记录</source>
        <translation>No purifier cleaning on record</translation>
    </message>
    <message>
        <location filename="../../ui/sites/model.py" line="300"/>
        <source>上次清洗 {on}（{by}），下次应于 {due} 前清洗</source>
        <translation>Last cleaned {on} ({by}); next cleaning due by {due}</translation>
    </message>
</context>
<context>
    <name>SitesDialog</name>
    <message>
        <location filename="../../ui/sites/dialog.py" line="57"/>
        <source>停止</source>
        <translation>off</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="57"/>
        <source>运行</source>
        <translation>running</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="58"/>
        <source>校准</source>
        <translation>calibrating</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="58"/>
        <source>维护</source>
        <translation>maintenance</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="59"/>
        <source>报警</source>
        <translation>alarm</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="59"/>
        <source>反吹</source>
        <translation>backflush</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="78"/>
        <source>油烟监测站点</source>
        <translation>Oil-fume monitoring sites</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="88"/>
        <source>站点、街道、地址、联系人…</source>
        <translation>Site, subdistrict, address, contact...</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="93"/>
        <source>筛选(&amp;F)：</source>
        <translation>&amp;Filter:</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="95"/>
        <source>只看异常(&amp;A)</source>
        <translation>Needs &amp;attention only</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="96"/>
        <source>只显示超标、离线或清洗逾期/无记录的站点</source>
        <translation>Show only sites over the limit, offline, or with cleaning overdue or not on record</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="100"/>
        <source>登记清洗(&amp;C)…</source>
        <translation>Record &amp;cleaning...</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="101"/>
        <source>为选中的站点登记一次净化器清洗</source>
        <translation>Record a purifier cleaning for the selected site</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="103"/>
        <source>刷新 (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="162"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="236"/>
        <source>正在刷新…</source>
        <translation>Refreshing...</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="244"/>
        <source>刷新失败：{error}</source>
        <translation>Refresh failed: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="251"/>
        <source>更新于 {time}，每 {n} 秒自动刷新</source>
        <translation>Updated {time}; refreshes every {n} s</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="276"/>
        <source>加载站点数据失败：{error}</source>
        <translation>Loading the site&apos;s data failed: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="302"/>
        <source>选择一个站点查看详情</source>
        <translation>Select a site to see its details</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="303"/>
        <source>没有登记的油烟监测站点</source>
        <translation>No oil-fume monitoring sites registered</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="305"/>
        <source>选择站点查看近 {hours:g} 小时监测曲线</source>
        <translation>Select a site to see its readings over the last {hours:g} hours</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="310"/>
        <source>{name} · 近 {hours:g} 小时</source>
        <translation>{name} · last {hours:g} hours</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="313"/>
        <source>&#x3000;&lt;span style=&apos;color:#757575&apos;&gt;离线：{time} 后无数据&lt;/span&gt;</source>
        <translation>&amp;nbsp;&amp;nbsp;&lt;span style=&apos;color:#757575&apos;&gt;offline: no data since {time}&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="317"/>
        <source>正在加载…</source>
        <translation>Loading...</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="324"/>
        <source>地址未登记</source>
        <translation>address not on record</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="326"/>
        <source>（{street}）</source>
        <translation> ({street})</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="328"/>
        <source>未登记</source>
        <translation>not on record</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="329"/>
        <source>&lt;b&gt;{name}&lt;/b&gt;&#x3000;{place}&#x3000;·&#x3000;联系人 {contact}&#x3000;·&#x3000;MN {mn}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;&amp;nbsp;&amp;nbsp;{place}&amp;nbsp;&amp;nbsp;·&amp;nbsp;&amp;nbsp;contact {contact}&amp;nbsp;&amp;nbsp;·&amp;nbsp;&amp;nbsp;MN {mn}</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="334"/>
        <source>无记录</source>
        <translation>none on record</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="337"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="338"/>
        <source>清洗记录：{records}</source>
        <translation>Cleanings: {records}</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="349"/>
        <source>风机</source>
        <translation>Fan</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="349"/>
        <source>净化器</source>
        <translation>Purifier</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="351"/>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="356"/>
        <source>设备：{states}</source>
        <translation>Equipment: {states}</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="358"/>
        <source>（风机运行但净化器停止）</source>
        <translation>(fan running with the purifier off)</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="366"/>
        <source>{on} {by}（下次 {due}），{note}</source>
        <translation>{on} {by} (next due {due}), {note}</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="368"/>
        <source>{on} {by}（下次 {due}）</source>
        <translation>{on} {by} (next due {due})</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="383"/>
        <source>共 {total} 个站点&#x3000;·&#x3000;超标报警 {alarm}&#x3000;待确认 {pending}&#x3000;离线 {offline}&#x3000;·&#x3000;清洗逾期/无记录 {late}</source>
        <translation>{total} sites&amp;nbsp;&amp;nbsp;·&amp;nbsp;&amp;nbsp;alarm {alarm}&amp;nbsp;&amp;nbsp;pending {pending}&amp;nbsp;&amp;nbsp;offline {offline}&amp;nbsp;&amp;nbsp;·&amp;nbsp;&amp;nbsp;cleaning overdue/no record {late}</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="445"/>
        <source>正在登记清洗记录…</source>
        <translation>Recording the cleaning...</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="454"/>
        <source>登记失败：{error}</source>
        <translation>Recording failed: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="456"/>
        <source>登记清洗</source>
        <translation>Record cleaning</translation>
    </message>
    <message>
        <location filename="../../ui/sites/dialog.py" line="460"/>
        <source>已登记 {name} {on} 的清洗记录</source>
        <translation>Recorded the cleaning of {name} on {on}</translation>
    </message>
</context>
<context>
    <name>SpeakerDialog</name>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="87"/>
        <source>远程喊话 — {number}</source>
        <translation>Loudspeaker — {number}</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="98"/>
        <source>{name}&#x3000;{street}&#x3000;{distance}</source>
        <translation>{name}&#x3000;{street}&#x3000;{distance}</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="116"/>
        <source>选择预设用语，或直接输入喊话内容</source>
        <translation>Choose a prepared phrase or type the message</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="117"/>
        <source>第一条是本案类别的预设用语；也可改写或输入自定义内容</source>
        <translation>The first phrase is the one prepared for this case&apos;s category; edit it or type your own</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="128"/>
        <source> 遍</source>
        <translation>×</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="131"/>
        <source>（1–{n} 遍）</source>
        <translation>(1–{n} times)</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="136"/>
        <source>喇叭(&amp;L)：</source>
        <translation>&amp;Loudspeaker:</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="137"/>
        <source>喊话内容(&amp;T)：</source>
        <translation>Message &amp;text:</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="138"/>
        <source>播放次数(&amp;R)：</source>
        <translation>&amp;Repeat:</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="150"/>
        <source>劝离成功(&amp;Y)</source>
        <translation>Persuaded (&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="151"/>
        <source>劝离无效(&amp;N)</source>
        <translation>Not persuaded (&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="156"/>
        <source>劝离结果：</source>
        <translation>Outcome:</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="161"/>
        <source>发送 (Enter)</source>
        <translation>Send (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="164"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="192"/>
        <source>附近没有登记的喇叭，无法远程喊话</source>
        <translation>No registered loudspeaker nearby: cannot broadcast a warning</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="208"/>
        <source>{m} 米</source>
        <translation>{m} m</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="209"/>
        <source>{km:.1f} 公里</source>
        <translation>{km:.1f} km</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="233"/>
        <source>正在发送…</source>
        <translation>Sending...</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="242"/>
        <source>发送失败：</source>
        <translation>Sending failed: </translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="242"/>
        <source>内部错误：</source>
        <translation>Internal error: </translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="248"/>
        <source>已发送，等待喇叭确认…</source>
        <translation>Sent; waiting for the loudspeaker to acknowledge...</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="249"/>
        <source>再次发送 (Enter)</source>
        <translation>Send again (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="266"/>
        <source>喇叭已播放 {time}</source>
        <translation>Loudspeaker played {time}</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="268"/>
        <source>喇叭播放失败 {time}，请检查喇叭后重新发送</source>
        <translation>Loudspeaker failed to play {time}; check the loudspeaker and send again</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="297"/>
        <source>{s} 秒内未收到喇叭确认：喇叭可能离线或网络中断。可以再次发送或改用其他喇叭</source>
        <translation>No acknowledgement in {s} s: loudspeaker or network may be down. Send again or try another</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="324"/>
        <location filename="../../ui/speaker_dialog.py" line="343"/>
        <source>劝离成功</source>
        <translation>Persuaded</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="324"/>
        <location filename="../../ui/speaker_dialog.py" line="344"/>
        <source>劝离无效</source>
        <translation>Not persuaded</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="325"/>
        <source>已记录：{outcome} {time}</source>
        <translation>Recorded: {outcome} {time}</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="338"/>
        <source>本案此前未喊话</source>
        <translation>No earlier loudspeaker warnings for this case</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="339"/>
        <source>无法读取喊话记录：{error}</source>
        <translation>Cannot read the loudspeaker history: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="345"/>
        <source>未记录结果</source>
        <translation>No outcome recorded</translation>
    </message>
    <message>
        <location filename="../../ui/speaker_dialog.py" line="348"/>
        <source>本案此前已喊话 {n} 次，最近一次 {time}：“{text}”（{outcome}）</source>
        <translation>Earlier warnings: {n}, latest {time}: &quot;{text}&quot; ({outcome})</translation>
    </message>
</context>
<context>
    <name>format</name>
    <message>
        <location filename="../../ui/format.py" line="18"/>
        <source>立案</source>
        <translation>Register</translation>
    </message>
    <message>
        <location filename="../../ui/format.py" line="18"/>
        <source>接单</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../ui/format.py" line="19"/>
        <source>到场</source>
        <translation>On scene</translation>
    </message>
    <message>
        <location filename="../../ui/format.py" line="19"/>
        <source>处置</source>
        <translation>Resolve</translation>
    </message>
    <message>
        <location filename="../../ui/format.py" line="20"/>
        <source>核查</source>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../../ui/format.py" line="28"/>
        <source>随手拍</source>
        <translation>Citizen app</translation>
    </message>
    <message>
        <location filename="../../ui/format.py" line="29"/>
        <source>扫码反馈</source>
        <translation>QR feedback</translation>
    </message>
    <message>
        <location filename="../../ui/format.py" line="30"/>
        <source>油烟监测</source>
        <translation>Oil-fume monitor</translation>
    </message>
    <message>
        <location filename="../../ui/format.py" line="31"/>
        <source>视频监控</source>
        <translation>CCTV</translation>
    </message>
    <message>
        <location filename="../../ui/format.py" line="32"/>
        <source>处置人员</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../../ui/format.py" line="33"/>
        <source>压力测试</source>
        <translation>Load test</translation>
    </message>
    <message>
        <location filename="../../ui/format.py" line="56"/>
        <source>{name} 剩 {time}</source>
        <translation>{name} {time} left</translation>
    </message>
    <message>
        <location filename="../../ui/format.py" line="58"/>
        <source>{name} 超 {time}</source>
        <translation>{name} {time} over</translation>
    </message>
</context>
</TS>
