from channels.generic.websocket import AsyncJsonWebsocketConsumer


class BerthConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        await self.channel_layer.group_add("berths", self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard("berths", self.channel_name)

    async def berth_changed(self, event):
        await self.send_json(event["payload"])
