// The demo brigade's electronic-monitoring devices (交通技术监控设备): about 60 fixed cameras around
// one city in the 苏A (Nanjing) area, each owned by a squadron of DEMO_UNITS. Plain data: the
// enforcement demo generator captures violations with it, and devices.demo.ts registers each in
// the device registry (reviews, announcement, signage, verification) before the captures load.

import type { DeviceType } from '../contracts/devices.ts';

export const CAMERA_TYPES = {
  speed: '固定测速',
  redLight: '闯红灯抓拍（电子警察）',
  parking: '违停抓拍',
  lane: '车道与标线抓拍',
  checkpoint: '卡口（货运通道）',
} as const;
export type CameraType = keyof typeof CAMERA_TYPES;

/** The registry's device type of each demo camera type (a freight checkpoint is `other`). */
export const REGISTRY_TYPE = { speed: 'speedFixed', redLight: 'redLight', parking: 'parking', lane: 'lane', checkpoint: 'other' } as const satisfies Record<CameraType, DeviceType>;

/** The violation codes (sample catalogue) a device of each type is approved to capture. */
export const CAMERA_TYPE_CODES: Record<CameraType, readonly string[]> = {
  speed: ['1301', '1636'],
  redLight: ['1625', '1357', '1345', '1042'],
  parking: ['1039'],
  lane: ['1042', '1345', '1240', '1223', '1625'],
  checkpoint: ['6046', '6047', '1344', '1240', '1223', '1636', '1042'],
};

export interface DemoCamera {
  deviceId: string;
  type: CameraType;
  road: string;
  direction: string;
  /** 公里桩 (for city streets: distance from the street's start) */
  km: number;
  lat: number;
  lon: number;
  description: string;
  allowedCodes: readonly string[];
  /** key of the owning squadron in DEMO_UNITS */
  owningUnitKey: 'sq1' | 'sq2' | 'sq3' | 'sq4';
}

function camera(
  n: number,
  type: CameraType,
  road: string,
  direction: string,
  km: number,
  lat: number,
  lon: number,
  description: string,
  owningUnitKey: DemoCamera['owningUnitKey'],
): DemoCamera {
  return { deviceId: `SXJ-${String(n).padStart(4, '0')}`, type, road, direction, km, lat, lon, description, allowedCodes: CAMERA_TYPE_CODES[type], owningUnitKey };
}

export const DEMO_CAMERAS: readonly DemoCamera[] = [
  // 一中队: city centre (鼓楼、玄武)
  camera(1, 'redLight', '中山路', '由南向北', 1.2, 32.0452, 118.7841, '中山路与汉中路交叉口', 'sq1'),
  camera(2, 'redLight', '中山路', '由北向南', 2.4, 32.0561, 118.7846, '中山路与珠江路交叉口', 'sq1'),
  camera(3, 'redLight', '中山北路', '由东南向西北', 1.8, 32.0702, 118.7712, '中山北路与湖南路交叉口', 'sq1'),
  camera(4, 'redLight', '北京东路', '由西向东', 0.9, 32.0583, 118.7978, '北京东路与太平北路交叉口', 'sq1'),
  camera(5, 'redLight', '汉中路', '由东向西', 1.5, 32.0428, 118.7655, '汉中路与虎踞路交叉口', 'sq1'),
  camera(6, 'redLight', '珠江路', '由西向东', 1.1, 32.0535, 118.7921, '珠江路与太平北路交叉口', 'sq1'),
  camera(7, 'parking', '中山东路', '双向', 0.6, 32.0427, 118.7952, '中山东路新街口段', 'sq1'),
  camera(8, 'parking', '湖南路', '双向', 0.8, 32.0683, 118.7752, '湖南路商业街段', 'sq1'),
  camera(9, 'parking', '管家桥', '双向', 0.3, 32.0418, 118.7809, '管家桥与户部街交叉口', 'sq1'),
  camera(10, 'parking', '丹凤街', '双向', 0.5, 32.0580, 118.7901, '丹凤街鸡鸣寺段', 'sq1'),
  camera(11, 'parking', '广州路', '双向', 1.3, 32.0507, 118.7739, '广州路江苏省人民医院段', 'sq1'),
  camera(12, 'lane', '北京西路', '由东向西', 1.6, 32.0597, 118.7701, '北京西路与西康路交叉口', 'sq1'),
  camera(13, 'lane', '龙蟠中路', '由南向北', 2.2, 32.0395, 118.8046, '龙蟠中路与中山东路交叉口', 'sq1'),
  camera(14, 'lane', '虎踞路', '由北向南', 2.7, 32.0489, 118.7503, '虎踞路与草场门大街交叉口', 'sq1'),
  camera(15, 'speed', '虎踞路', '由南向北', 4.1, 32.0611, 118.7478, '虎踞路清凉山隧道段', 'sq1'),
  camera(16, 'speed', '龙蟠中路', '由北向南', 3.5, 32.0498, 118.8059, '龙蟠中路九华山隧道段', 'sq1'),

  // 二中队: north and east (栖霞), G312 freight corridor
  camera(17, 'redLight', '龙蟠路', '由南向北', 2.9, 32.0812, 118.8061, '龙蟠路与红山路交叉口', 'sq2'),
  camera(18, 'redLight', '玄武大道', '由西向东', 3.4, 32.0788, 118.8423, '玄武大道与环陵路交叉口', 'sq2'),
  camera(19, 'redLight', '宁镇公路', '由西向东', 6.2, 32.0846, 118.8832, '宁镇公路与仙林大道交叉口', 'sq2'),
  camera(20, 'parking', '迈皋桥街', '双向', 0.7, 32.1063, 118.8043, '迈皋桥地铁站周边', 'sq2'),
  camera(21, 'parking', '仙林大道', '双向', 4.5, 32.1045, 118.9105, '仙林大道大学城段', 'sq2'),
  camera(22, 'lane', '玄武大道', '由东向西', 5.8, 32.0752, 118.8679, '玄武大道马群立交段', 'sq2'),
  camera(23, 'lane', '龙蟠路', '由北向南', 1.4, 32.0718, 118.8035, '龙蟠路南京站段', 'sq2'),
  camera(24, 'speed', '玄武大道', '由西向东', 7.2, 32.0733, 118.8802, '玄武大道灵山段', 'sq2'),
  camera(25, 'speed', 'G312国道', '往镇江方向', 1143.6, 32.1102, 118.9521, 'G312国道K1143+600仙林段', 'sq2'),
  camera(26, 'speed', 'G312国道', '往南京方向', 1151.2, 32.1268, 119.0234, 'G312国道K1151+200汤山段', 'sq2'),
  camera(27, 'checkpoint', 'G312国道', '双向', 1146.0, 32.1153, 118.9742, 'G312国道K1146仙鹤门货运卡口', 'sq2'),
  camera(28, 'checkpoint', 'G312国道', '双向', 1155.4, 32.1331, 119.0612, 'G312国道K1155汤山货运卡口', 'sq2'),
  camera(29, 'checkpoint', '宁镇公路', '双向', 11.3, 32.1005, 118.9478, '宁镇公路东阳货运卡口', 'sq2'),
  camera(30, 'checkpoint', 'S337省道', '双向', 23.7, 32.1802, 118.9106, 'S337省道龙潭港货运卡口', 'sq2'),
  camera(31, 'lane', 'G312国道', '往镇江方向', 1148.9, 32.1197, 118.9907, 'G312国道K1148+900麒麟段', 'sq2'),

  // 三中队: south (雨花台、江宁), G205 and S122 freight corridors
  camera(32, 'redLight', '应天大街', '由东向西', 4.6, 32.0165, 118.7512, '应天大街与江东中路交叉口', 'sq3'),
  camera(33, 'redLight', '集庆门大街', '由西向东', 1.9, 32.0261, 118.7489, '集庆门大街与凤台南路交叉口', 'sq3'),
  camera(34, 'redLight', '卡子门大街', '由北向南', 1.2, 32.0083, 118.8045, '卡子门大街与宁南大道交叉口', 'sq3'),
  camera(35, 'redLight', '雨花大道', '由南向北', 2.6, 31.9954, 118.7792, '雨花大道与宁丹路交叉口', 'sq3'),
  camera(36, 'parking', '江东中路', '双向', 3.2, 32.0089, 118.7334, '江东中路奥体中心段', 'sq3'),
  camera(37, 'parking', '凤台南路', '双向', 1.1, 32.0124, 118.7632, '凤台南路软件大道口', 'sq3'),
  camera(38, 'parking', '双龙大道', '双向', 5.4, 31.9622, 118.8213, '双龙大道胜太路口', 'sq3'),
  camera(39, 'lane', '应天大街', '由西向东', 2.1, 32.0197, 118.7788, '应天大街高架下匝道', 'sq3'),
  camera(40, 'lane', '宁丹路', '由北向南', 4.8, 31.9712, 118.7668, '宁丹路铁心桥段', 'sq3'),
  camera(41, 'speed', '应天大街', '由东向西', 6.9, 32.0142, 118.7253, '应天大街长江隧道引线段', 'sq3'),
  camera(42, 'speed', 'G205国道', '往芜湖方向', 1063.5, 31.9205, 118.7874, 'G205国道K1063+500秣陵段', 'sq3'),
  camera(43, 'speed', 'S122省道', '往溧水方向', 18.4, 31.8734, 118.8569, 'S122省道K18+400禄口段', 'sq3'),
  camera(44, 'checkpoint', 'G205国道', '双向', 1058.2, 31.9483, 118.7915, 'G205国道K1058铁心桥货运卡口', 'sq3'),
  camera(45, 'checkpoint', 'G205国道', '双向', 1069.8, 31.8916, 118.7802, 'G205国道K1069横溪货运卡口', 'sq3'),
  camera(46, 'checkpoint', 'S122省道', '双向', 12.6, 31.9031, 118.8422, 'S122省道K12禄口货运卡口', 'sq3'),

  // 高速中队: expressways and their junctions
  camera(47, 'speed', '绕城高速', '顺时针', 8.3, 32.0981, 118.8677, '绕城高速K8+300马群段', 'sq4'),
  camera(48, 'speed', '绕城高速', '逆时针', 15.6, 32.0224, 118.8744, '绕城高速K15+600麒麟段', 'sq4'),
  camera(49, 'speed', '绕城高速', '顺时针', 27.2, 31.9743, 118.7706, '绕城高速K27+200宁丹段', 'sq4'),
  camera(50, 'speed', 'G42沪宁高速', '往上海方向', 12.5, 32.0938, 118.9521, 'G42沪宁高速K12+500仙林段', 'sq4'),
  camera(51, 'speed', 'G42沪宁高速', '往南京方向', 24.1, 32.1031, 119.0704, 'G42沪宁高速K24+100汤山段', 'sq4'),
  camera(52, 'speed', 'G25长深高速', '往杭州方向', 6.8, 31.9126, 118.8705, 'G25长深高速K6+800禄口段', 'sq4'),
  camera(53, 'speed', 'S55宁宣高速', '往宣城方向', 9.4, 31.8809, 118.9187, 'S55宁宣高速K9+400段', 'sq4'),
  camera(54, 'lane', '绕城高速', '顺时针', 21.7, 31.9854, 118.8254, '绕城高速K21+700应急车道', 'sq4'),
  camera(55, 'lane', 'G42沪宁高速', '往上海方向', 17.9, 32.0979, 119.0093, 'G42沪宁高速K17+900应急车道', 'sq4'),
  camera(56, 'checkpoint', 'G42沪宁高速', '双向', 3.2, 32.0864, 118.8712, 'G42沪宁高速马群收费站货运卡口', 'sq4'),
  camera(57, 'checkpoint', '绕城高速', '双向', 33.5, 32.0048, 118.7361, '绕城高速双桥门出入口货运卡口', 'sq4'),
  camera(58, 'checkpoint', 'G25长深高速', '双向', 1.9, 31.9368, 118.8591, 'G25长深高速南京南收费站货运卡口', 'sq4'),
  camera(59, 'checkpoint', 'S55宁宣高速', '双向', 2.4, 31.9178, 118.8943, 'S55宁宣高速东山收费站货运卡口', 'sq4'),
  camera(60, 'checkpoint', '绕城高速', '双向', 3.1, 32.1052, 118.8136, '绕城高速玄武大道出入口货运卡口', 'sq4'),
];

export function demoCamera(deviceId: string): DemoCamera | undefined {
  return DEMO_CAMERAS.find((c) => c.deviceId === deviceId);
}
