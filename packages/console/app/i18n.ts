// The console's two languages. Arabic is laid out right to left (dir="rtl" on <html>; the CSS uses
// logical properties only) and may show Arabic-Indic digits (٠١٢٣), a separate choice because many
// Gulf operators read Arabic with Latin digits.

export type Lang = 'en' | 'ar';
export type Digits = 'latn' | 'arab';

const en = {
  title: 'hmi console',
  skip: 'Skip to content',
  points: 'Integration points',
  deadLetters: 'Dead letters',
  alerts: 'Alerts',
  audit: 'Audit trail',
  signIn: 'Sign in',
  signOut: 'Sign out',
  apiKey: 'API key',
  apiKeyHelp: 'Kept in this tab only (sessionStorage) and sent as a Bearer token.',
  signInFailed: 'That key was not accepted.',
  signedInAs: 'Signed in as',
  language: 'Language',
  digits: 'Arabic-Indic digits',
  live: 'Live',
  offline: 'Reconnecting…',
  status: 'Status',
  point: 'Point',
  lastRun: 'Last run',
  lag: 'Lag',
  throughput: 'Throughput',
  perMin: '/min',
  errorRate: 'Error rate',
  trend: 'Failures over time',
  noData: 'No data',
  none: 'None',
  ok: 'OK',
  failing: 'Failing',
  idle: 'Idle',
  running: 'Running',
  runNow: 'Run now',
  runStarted: 'Run started',
  recentRuns: 'Recent runs and failures',
  back: 'Back to points',
  at: 'At',
  operation: 'Operation',
  outcome: 'Outcome',
  errorCode: 'Error code',
  duration: 'Duration',
  records: 'Records',
  id: 'Id',
  topic: 'Topic',
  attempts: 'Attempts',
  replays: 'Replays',
  error: 'Error',
  created: 'Created',
  inspect: 'Inspect',
  replay: 'Replay',
  purge: 'Purge',
  payload: 'Payload',
  payloadHidden: 'Payload hidden: your scopes do not include dead-letters:read:phi.',
  confirm: 'Confirm',
  cancel: 'Cancel',
  close: 'Close',
  confirmReplay: 'Replay dead letter {id}? It goes back to the outbox and is delivered again.',
  confirmPurge: 'Delete dead letter {id} for good? This cannot be undone.',
  replayed: 'Dead letter {id} replayed',
  purged: 'Dead letter {id} purged',
  dlqAdded: 'New dead letter {id} on {point}',
  pointFailing: '{point} is failing',
  pointOk: '{point} is OK',
  pointRunning: '{point} is running',
  count: '{n} shown',
  more: 'Load more',
  filter: 'Filter',
  clear: 'Clear',
  from: 'From',
  to: 'To',
  any: 'Any',
  noAlerts:
    'This gateway does not expose alerts. Alerts from @hmi/monitor go to your alerting channel (Alertmanager, e-mail, chat); this console shows point status and dead letters instead.',
  forbidden: 'Your credential does not allow this screen ({scope}).',
  failed: 'The request failed ({status}).',
  loading: 'Loading…',
  seconds: '{n} s',
  minutes: '{n} min',
  hours: '{n} h',
  days: '{n} d',
  never: 'never',
  nav: 'Main',
  settings: 'Settings',
};

export type Key = keyof typeof en;

const ar: Record<Key, string> = {
  title: 'وحدة تحكم hmi',
  skip: 'انتقل إلى المحتوى',
  points: 'نقاط التكامل',
  deadLetters: 'الرسائل المتعثرة',
  alerts: 'التنبيهات',
  audit: 'سجل التدقيق',
  signIn: 'تسجيل الدخول',
  signOut: 'تسجيل الخروج',
  apiKey: 'مفتاح API',
  apiKeyHelp: 'يُحفظ في هذه النافذة فقط (sessionStorage) ويُرسل كرمز Bearer.',
  signInFailed: 'لم يُقبل هذا المفتاح.',
  signedInAs: 'مسجّل باسم',
  language: 'اللغة',
  digits: 'الأرقام العربية الهندية',
  live: 'مباشر',
  offline: 'إعادة الاتصال…',
  status: 'الحالة',
  point: 'النقطة',
  lastRun: 'آخر تشغيل',
  lag: 'التأخر',
  throughput: 'الإنتاجية',
  perMin: '/دقيقة',
  errorRate: 'نسبة الأخطاء',
  trend: 'الإخفاقات عبر الزمن',
  noData: 'لا بيانات',
  none: 'لا شيء',
  ok: 'سليمة',
  failing: 'متعطلة',
  idle: 'خاملة',
  running: 'قيد التشغيل',
  runNow: 'شغّل الآن',
  runStarted: 'بدأ التشغيل',
  recentRuns: 'آخر التشغيلات والإخفاقات',
  back: 'العودة إلى النقاط',
  at: 'الوقت',
  operation: 'العملية',
  outcome: 'النتيجة',
  errorCode: 'رمز الخطأ',
  duration: 'المدة',
  records: 'السجلات',
  id: 'المعرّف',
  topic: 'الموضوع',
  attempts: 'المحاولات',
  replays: 'مرات الإعادة',
  error: 'الخطأ',
  created: 'أُنشئت',
  inspect: 'فحص',
  replay: 'إعادة الإرسال',
  purge: 'حذف',
  payload: 'المحتوى',
  payloadHidden: 'المحتوى مخفي: صلاحياتك لا تشمل dead-letters:read:phi.',
  confirm: 'تأكيد',
  cancel: 'إلغاء',
  close: 'إغلاق',
  confirmReplay: 'إعادة إرسال الرسالة {id}؟ ستعود إلى صندوق الإرسال وتُسلَّم مجدداً.',
  confirmPurge: 'حذف الرسالة {id} نهائياً؟ لا يمكن التراجع عن ذلك.',
  replayed: 'أُعيد إرسال الرسالة {id}',
  purged: 'حُذفت الرسالة {id}',
  dlqAdded: 'رسالة متعثرة جديدة {id} في {point}',
  pointFailing: '{point} متعطلة',
  pointOk: '{point} سليمة',
  pointRunning: '{point} قيد التشغيل',
  count: 'المعروض: {n}',
  more: 'تحميل المزيد',
  filter: 'تصفية',
  clear: 'مسح',
  from: 'من',
  to: 'إلى',
  any: 'الكل',
  noAlerts:
    'هذه البوابة لا تعرض التنبيهات. تنبيهات @hmi/monitor تصل إلى قناة التنبيه لديكم (Alertmanager أو البريد أو المحادثة)؛ وتعرض هذه الوحدة حالة النقاط والرسائل المتعثرة بدلاً منها.',
  forbidden: 'بيانات اعتمادك لا تسمح بهذه الشاشة ({scope}).',
  failed: 'فشل الطلب ({status}).',
  loading: 'جارٍ التحميل…',
  seconds: '{n} ث',
  minutes: '{n} د',
  hours: '{n} س',
  days: '{n} ي',
  never: 'أبداً',
  nav: 'الرئيسية',
  settings: 'الإعدادات',
};

/** Translation and number/date formatting for one language and digit choice. */
export interface I18n {
  lang: Lang;
  digits: Digits;
  t(key: Key, vars?: Record<string, string | number>): string;
  num(n: number, fractionDigits?: number): string;
  percent(ratio: number): string;
  date(value: string | number): string;
  ago(seconds: number | null): string;
}

export function createI18n(lang: Lang, digits: Digits): I18n {
  const table = lang === 'ar' ? ar : en;
  // Arabic-Indic digits only when chosen; Latin digits otherwise, in both languages.
  const numberingSystem = lang === 'ar' && digits === 'arab' ? 'arab' : 'latn';
  const locale = lang === 'ar' ? `ar-SA-u-nu-${numberingSystem}` : `en-GB-u-nu-${numberingSystem}`;
  const nf = (max: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: max });
  const pf = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const df = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium', calendar: 'gregory' });
  const num = (n: number, fractionDigits = 0) => nf(fractionDigits).format(n);
  const t = (key: Key, vars: Record<string, string | number> = {}) =>
    table[key].replace(/\{(\w+)\}/g, (_m, name: string) => {
      const v = vars[name];
      return v === undefined ? '' : typeof v === 'number' ? num(v) : v;
    });
  return {
    lang,
    digits,
    t,
    num,
    percent: (ratio) => pf.format(ratio),
    date: (value) => df.format(new Date(value)),
    ago(seconds) {
      if (seconds === null) return t('never');
      if (seconds < 90) return t('seconds', { n: Math.round(seconds) });
      if (seconds < 5400) return t('minutes', { n: Math.round(seconds / 60) });
      if (seconds < 129600) return t('hours', { n: Math.round(seconds / 3600) });
      return t('days', { n: Math.round(seconds / 86400) });
    },
  };
}
