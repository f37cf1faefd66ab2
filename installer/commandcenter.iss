; Inno Setup script: the Windows installer of Command Center (街道城市管理指挥中心).
;
;   iscc /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0.0 installer\commandcenter.iss
;
; Needs Inno Setup 6.3 or later (x64compatible, UTF-8 without BOM; CI pins 6.7.1) and the
; one-folder bundle dist\CommandCenter\ built first from build.spec (scripts/build-bundle, or the
; Windows workflow, which passes both versions: `python -m commandcenter.version_info`).
; Output: dist\installer\CommandCenter-Setup-<version>.exe
;
; Per-user (default, no administrator rights: %LOCALAPPDATA%\Programs\CommandCenter) or for all
; users (Program Files\CommandCenter): the first page asks, {autopf} follows the choice. The
; program keeps its data apart, in each user's %LOCALAPPDATA%\CommandCenter (platformdirs), which
; uninstalling leaves alone.

; Strings in #define and #if are Pascal-style: a backslash is just a backslash.
#pragma parseroption -p+

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=1.2.3 installer\commandcenter.iss
#endif
; Windows' file version takes four numbers (1.2.3rc1 -> 1.2.3.0).
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif

#define AppName "Command Center"
#define AppExeName "CommandCenter.exe"
#define Here AddBackslash(SourcePath)
#define Bundle Here + "..\dist\CommandCenter"

#ifnexist Bundle + "\" + AppExeName
  #error The bundle is missing: build dist\CommandCenter first (pyinstaller --noconfirm --clean build.spec)
#endif

; Simplified Chinese messages. Inno Setup ships them as an official translation only in recent
; releases; before, ChineseSimplified.isl was an unofficial translation kept in Inno Setup's
; repository (Files\Languages\Unofficial) and NOT installed with it. Use, in this order: a copy
; next to this script (the Windows workflow downloads one when needed), the official file, a
; copy someone put in Languages\Unofficial.
#if FileExists(Here + "ChineseSimplified.isl")
  #define ChineseMessages Here + "ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\Unofficial\ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: put the Inno Setup 6 translation (jrsoftware/issrc, Files\Languages\Unofficial\ChineseSimplified.isl) into installer\
#endif

[Setup]
; The AppId identifies the program to Windows' uninstaller: never change it.
AppId={{21322C39-1296-48FB-9129-9F46CD9B5370}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoProductTextVersion={#AppVersion}
DefaultDirName={autopf}\CommandCenter
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Here}..\dist\installer
OutputBaseFilename=CommandCenter-Setup-{#AppVersion}
SetupIconFile={#Here}..\resources\icons\commandcenter.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
; Third-party notices (resources/NOTICE.md, written as NOTICE.txt by build.spec): information,
; not terms to accept, so an information page rather than a licence agreement.
InfoBeforeFile={#Bundle}\NOTICE.txt
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; A running console is closed (Restart Manager) before its files are replaced.
CloseApplications=yes
RestartApplications=no
SetupLogging=yes
ShowLanguageDialog=auto

[Languages]
; The first entry is the default when Windows' UI language matches neither.
Name: "chinesesimplified"; MessagesFile: "{#ChineseMessages}"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Messages]
; Uninstalling removes the program's files only: say where the user's data stays.
chinesesimplified.ConfirmUninstall=您确认要完全移除 %1 及其所有组件吗？%n%n您的数据（数据库、配置和日志）保存在 C:\Users\<用户名>\AppData\Local\CommandCenter，不会被删除；如不再需要，请手动删除该文件夹。
english.ConfirmUninstall=Are you sure you want to completely remove %1 and all of its components?%n%nYour data (database, configuration and logs) in C:\Users\<user>\AppData\Local\CommandCenter is kept; delete that folder yourself if it is no longer needed.

[CustomMessages]
chinesesimplified.ShortcutName=街道城市管理指挥中心
english.ShortcutName=Command Center
chinesesimplified.ShortcutComment=城市管理指挥中心值班台
english.ShortcutComment=Console of the urban-management command hall

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An update replaces the whole bundle: a DLL or Qt plugin left over from the previous version
; could be loaded by the new one.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{cm:ShortcutName}"; Filename: "{app}\{#AppExeName}"; Comment: "{cm:ShortcutComment}"
Name: "{autodesktop}\{cm:ShortcutName}"; Filename: "{app}\{#AppExeName}"; Comment: "{cm:ShortcutComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
